import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a JFR recording (its execution samples), for scripts/profile.sh:
 * the methods that were running (self), and the methods that were on the stack
 * (inclusive), each as a share of all samples.
 *
 * <pre>
 * java scripts/JfrTop.java recording.jfr [ROWS] [INCLUDE ...]
 * </pre>
 *
 * INCLUDE: prefixes of the classes whose inclusive share is listed (all classes if none),
 * for example {@code org.springframework.security. dev.bugtracker.}.
 */
public class JfrTop {

	public static void main(String[] args) throws Exception {
		if (args.length < 1) {
			System.err.println("usage: java scripts/JfrTop.java recording.jfr [ROWS] [INCLUDE ...]");
			System.exit(2);
		}
		int rows = (args.length > 1) ? Integer.parseInt(args[1]) : 25;
		List<String> include = (args.length > 2) ? List.of(args).subList(2, args.length) : List.of();
		Map<String, Integer> self = new HashMap<>();
		Map<String, Integer> inclusive = new HashMap<>();
		int samples = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
				continue;
			}
			RecordedStackTrace stack = event.getStackTrace();
			if (stack == null || stack.getFrames().isEmpty()) {
				continue;
			}
			samples++;
			self.merge(name(stack.getFrames().get(0)), 1, Integer::sum);
			Set<String> seen = new HashSet<>();
			for (RecordedFrame frame : stack.getFrames()) {
				String name = name(frame);
				if (seen.add(name) && (include.isEmpty() || include.stream().anyMatch(name::startsWith))) {
					inclusive.merge(name, 1, Integer::sum);
				}
			}
		}
		System.out.printf("%d execution samples%n%nself (running):%n", samples);
		print(self, samples, rows);
		System.out.printf("%ninclusive (on the stack)%s:%n", include.isEmpty() ? "" : ", " + String.join(" ", include));
		print(inclusive, samples, rows);
	}

	private static String name(RecordedFrame frame) {
		return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
	}

	private static void print(Map<String, Integer> counts, int samples, int rows) {
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(rows)
			.forEach((entry) -> System.out.printf("%6.1f %%  %s%n", 100.0 * entry.getValue() / samples,
					entry.getKey()));
	}

}
