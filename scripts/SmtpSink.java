import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local SMTP server that writes every message it receives as an .eml file, beside the
 * ones notificator writes: where Alertmanager's email goes when the stack runs with
 * {@code scripts/local.sh up --with observability}. Loopback only, no authentication, no
 * relaying: a mail catcher for one machine, like MailDev in docker-compose.yml.
 * <p>
 * Run with {@code java scripts/SmtpSink.java PORT DIRECTORY} (JDK 11+, no build).
 */
public final class SmtpSink {

	private static final AtomicLong RECEIVED = new AtomicLong();

	private SmtpSink() {
	}

	public static void main(String[] arguments) throws IOException {
		if (arguments.length != 2) {
			System.err.println("usage: java scripts/SmtpSink.java PORT DIRECTORY");
			System.exit(2);
		}
		int port = Integer.parseInt(arguments[0]);
		Path directory = Path.of(arguments[1]);
		Files.createDirectories(directory);
		try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
			System.out.println("SMTP sink on 127.0.0.1:" + port + ", writing to " + directory);
			while (true) {
				Socket client = server.accept();
				Thread session = new Thread(() -> serve(client, directory), "smtp-session");
				session.setDaemon(true);
				session.start();
			}
		}
	}

	private static void serve(Socket client, Path directory) {
		try (client;
				BufferedReader in = new BufferedReader(
						new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
				OutputStream out = client.getOutputStream()) {
			client.setSoTimeout(60_000);
			reply(out, "220 localhost SMTP sink");
			StringBuilder envelope = new StringBuilder();
			String line;
			while ((line = in.readLine()) != null) {
				String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
				switch (command) {
					case "EHLO", "HELO" -> reply(out, "250 localhost");
					case "MAIL" -> {
						envelope.setLength(0);
						envelope.append("X-Envelope-From: ").append(line.substring(line.indexOf(':') + 1).trim())
							.append("\r\n");
						reply(out, "250 OK");
					}
					case "RCPT" -> {
						envelope.append("X-Envelope-To: ").append(line.substring(line.indexOf(':') + 1).trim())
							.append("\r\n");
						reply(out, "250 OK");
					}
					case "DATA" -> {
						reply(out, "354 End data with <CR><LF>.<CR><LF>");
						StringBuilder message = new StringBuilder(envelope);
						String data;
						while ((data = in.readLine()) != null && !data.equals(".")) {
							// Dot-stuffing (RFC 5321, 4.5.2): a leading dot was doubled.
							message.append(data.startsWith("..") ? data.substring(1) : data).append("\r\n");
						}
						Path file = directory.resolve("alert-" + Instant.now().toEpochMilli() + "-"
								+ RECEIVED.incrementAndGet() + ".eml");
						Files.writeString(file, message, StandardCharsets.UTF_8);
						reply(out, "250 OK: written to " + file.getFileName());
					}
					case "RSET" -> {
						envelope.setLength(0);
						reply(out, "250 OK");
					}
					case "NOOP" -> reply(out, "250 OK");
					case "QUIT" -> {
						reply(out, "221 Bye");
						return;
					}
					default -> reply(out, "502 Command not implemented");
				}
			}
		}
		catch (IOException ex) {
			System.err.println("SMTP session failed: " + ex);
		}
	}

	private static void reply(OutputStream out, String line) throws IOException {
		out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

}
