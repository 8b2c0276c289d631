package dev.bugtracker.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies in front of the gateway whose {@code X-Forwarded-For} it believes, by
 * address range, and how the client's address is read from that header: the right-most
 * address that is not a trusted proxy's. Everything to its left was written by the client
 * or by proxies nobody vouches for, so it is ignored; a header from a peer that is not a
 * trusted proxy is ignored altogether (the peer is the client).
 */
final class TrustedProxies {

	/** How many hops of a header are read at most, from the right. */
	static final int MAX_HOPS = 20;

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private final List<Range> ranges;

	private TrustedProxies(List<Range> ranges) {
		this.ranges = ranges;
	}

	/**
	 * @param ranges address ranges in CIDR notation ({@code 10.0.0.0/8},
	 * {@code fd00::/8}) or single addresses
	 * @return the trusted proxies
	 * @throws IllegalArgumentException naming a range that is not one
	 */
	static TrustedProxies of(List<String> ranges) {
		List<Range> parsed = new ArrayList<>();
		for (String range : ranges) {
			if (range == null || range.isBlank()) {
				continue;
			}
			parsed.add(Range.parse(range.strip()));
		}
		return new TrustedProxies(List.copyOf(parsed));
	}

	boolean isEmpty() {
		return this.ranges.isEmpty();
	}

	boolean trusts(InetAddress address) {
		return this.ranges.stream().anyMatch((range) -> range.contains(address));
	}

	/**
	 * @param peer the address the connection came from
	 * @param forwardedFor the values of the request's {@code X-Forwarded-For} headers, in
	 * order (none if it had none)
	 * @return the client's address
	 */
	InetAddress client(InetAddress peer, List<String> forwardedFor) {
		if (!trusts(peer)) {
			return peer;
		}
		List<String> hops = new ArrayList<>();
		for (String value : forwardedFor) {
			for (String hop : value.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.strip());
				}
			}
		}
		InetAddress client = peer;
		for (int i = hops.size() - 1; i >= Math.max(0, hops.size() - MAX_HOPS); i--) {
			InetAddress hop = literal(hops.get(i));
			if (hop == null) {
				// Not an address ("unknown", a name, garbage): whoever is beyond it
				// cannot
				// be told; the last hop that could is the client.
				return client;
			}
			client = hop;
			if (!trusts(hop)) {
				return hop;
			}
		}
		return client;
	}

	/**
	 * @param value an address as proxies write it: {@code 192.0.2.1},
	 * {@code 192.0.2.1:4711}, {@code 2001:db8::1}, {@code [2001:db8::1]:4711}
	 * @return the address, or null if it is none (never looked up by name)
	 */
	static InetAddress literal(String value) {
		String address = value;
		if (address.startsWith("[")) {
			int end = address.indexOf(']');
			if (end < 0) {
				return null;
			}
			address = address.substring(1, end);
		}
		else if (address.indexOf(':') == address.lastIndexOf(':') && address.indexOf(':') > 0) {
			address = address.substring(0, address.indexOf(':'));
		}
		if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
			return null;
		}
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/** An address range: a network address and how many of its leading bits count. */
	private record Range(byte[] network, int bits) {

		static Range parse(String range) {
			int slash = range.indexOf('/');
			InetAddress address = literal((slash < 0) ? range : range.substring(0, slash));
			if (address == null) {
				throw new IllegalArgumentException("bugtracker.edge.trusted-proxies: " + range
						+ " is not an address or a range in CIDR notation (10.0.0.0/8, fd00::/8)");
			}
			int max = address.getAddress().length * 8;
			int bits;
			try {
				bits = (slash < 0) ? max : Integer.parseInt(range.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				bits = -1;
			}
			if (bits < 0 || bits > max) {
				throw new IllegalArgumentException(
						"bugtracker.edge.trusted-proxies: " + range + " has a prefix length outside 0 to " + max);
			}
			return new Range(address.getAddress(), bits);
		}

		boolean contains(InetAddress address) {
			byte[] candidate = address.getAddress();
			if (candidate.length != this.network.length) {
				return false;
			}
			int whole = this.bits / 8;
			for (int i = 0; i < whole; i++) {
				if (candidate[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.bits % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (candidate[whole] & mask) == (this.network[whole] & mask);
		}

	}

}
