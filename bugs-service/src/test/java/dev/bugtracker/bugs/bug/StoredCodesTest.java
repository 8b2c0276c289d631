package dev.bugtracker.bugs.bug;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Priority and severity are stored as codes: the codes of existing constants are data and
 * must never change (a new constant gets a new code).
 */
class StoredCodesTest {

	@Test
	void priorityCodesAreTheOnesInTheDatabase() {
		assertThat(Arrays.stream(Priority.values()).collect(Collectors.toMap(Priority::name, Priority::code)))
			.isEqualTo(Map.of("LOWEST", 0, "LOW", 1, "MEDIUM", 2, "HIGH", 3, "HIGHEST", 4));
		for (Priority priority : Priority.values()) {
			assertThat(Priority.ofCode(priority.code())).isSameAs(priority);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> Priority.ofCode(9));
	}

	@Test
	void severityCodesAreTheOnesInTheDatabase() {
		assertThat(Arrays.stream(Severity.values()).collect(Collectors.toMap(Severity::name, Severity::code)))
			.isEqualTo(Map.of("TRIVIAL", 0, "MINOR", 1, "MAJOR", 2, "CRITICAL", 3, "BLOCKER", 4));
		for (Severity severity : Severity.values()) {
			assertThat(Severity.ofCode(severity.code())).isSameAs(severity);
		}
		assertThatIllegalArgumentException().isThrownBy(() -> Severity.ofCode(9));
	}

}
