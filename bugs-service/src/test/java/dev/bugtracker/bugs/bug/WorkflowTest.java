package dev.bugtracker.bugs.bug;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The workflow as a table: every (from, to) pair of statuses, allowed or not.
 */
class WorkflowTest {

	private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

	@ParameterizedTest(name = "{0} -> {1}: {2}")
	@CsvSource(textBlock = """
			OPEN,        OPEN,        false
			OPEN,        IN_PROGRESS, true
			OPEN,        RESOLVED,    false
			OPEN,        CLOSED,      true
			OPEN,        REOPENED,    false
			IN_PROGRESS, OPEN,        false
			IN_PROGRESS, IN_PROGRESS, false
			IN_PROGRESS, RESOLVED,    true
			IN_PROGRESS, CLOSED,      false
			IN_PROGRESS, REOPENED,    false
			RESOLVED,    OPEN,        false
			RESOLVED,    IN_PROGRESS, false
			RESOLVED,    RESOLVED,    false
			RESOLVED,    CLOSED,      true
			RESOLVED,    REOPENED,    true
			CLOSED,      OPEN,        false
			CLOSED,      IN_PROGRESS, false
			CLOSED,      RESOLVED,    false
			CLOSED,      CLOSED,      false
			CLOSED,      REOPENED,    true
			REOPENED,    OPEN,        false
			REOPENED,    IN_PROGRESS, true
			REOPENED,    RESOLVED,    true
			REOPENED,    CLOSED,      true
			REOPENED,    REOPENED,    false
			""")
	void allowsExactlyTheMovesOfTheMatrix(Status from, Status to, boolean allowed) {
		assertThat(Workflow.allowedMoves(from).contains(to)).isEqualTo(allowed);
		Resolution current = (from == Status.RESOLVED || from == Status.CLOSED) ? Resolution.FIXED : null;
		boolean needsResolution = to == Status.RESOLVED
				|| (to == Status.CLOSED && (from == Status.OPEN || from == Status.REOPENED));
		Resolution given = needsResolution ? Resolution.WONT_FIX : null;
		if (allowed) {
			assertThat(Workflow.check(from, current, to, given, null))
				.isEqualTo(needsResolution ? Resolution.WONT_FIX : (to == Status.CLOSED ? current : null));
		}
		else {
			assertThatExceptionOfType(InvalidTransitionException.class)
				.isThrownBy(() -> Workflow.check(from, current, to, given, null))
				.satisfies((ex) -> assertThat(ex.getAllowed()).isEqualTo(Workflow.allowedMoves(from)));
		}
	}

	@ParameterizedTest(name = "{0} -> {1} without resolution")
	@CsvSource({ "IN_PROGRESS, RESOLVED", "REOPENED, RESOLVED", "OPEN, CLOSED", "REOPENED, CLOSED" })
	void resolvingOrClosingAnOpenBugRequiresAResolution(Status from, Status to) {
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> Workflow.check(from, null, to, null, null))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("resolution"));
	}

	@Test
	void duplicateNeedsTheOriginalAndOnlyDuplicateTakesOne() {
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> Workflow.check(Status.IN_PROGRESS, null, Status.RESOLVED, Resolution.DUPLICATE, null))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duplicateOf"));
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> Workflow.check(Status.IN_PROGRESS, null, Status.RESOLVED, Resolution.FIXED, 7L))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duplicateOf"));
		assertThat(Workflow.check(Status.IN_PROGRESS, null, Status.RESOLVED, Resolution.DUPLICATE, 7L))
			.isEqualTo(Resolution.DUPLICATE);
	}

	@Test
	void aResolutionOnlyComesWithResolvingOrClosing() {
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> Workflow.check(Status.OPEN, null, Status.IN_PROGRESS, Resolution.FIXED, null))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("resolution"));
	}

	@Test
	void resolvingStampsResolvedAtAndReopeningClearsIt() {
		Bug bug = bug();
		bug.moveTo(Status.IN_PROGRESS, null, null, NOW);
		bug.moveTo(Status.RESOLVED, Resolution.FIXED, null, NOW.plusSeconds(60));
		bug.moveTo(Status.CLOSED, null, null, NOW.plusSeconds(120));
		assertThat(bug.getResolution()).isEqualTo(Resolution.FIXED);
		assertThat(bug.getResolvedAt()).isEqualTo(NOW.plusSeconds(60));

		bug.moveTo(Status.REOPENED, null, null, NOW.plusSeconds(180));

		assertThat(bug.getResolution()).isNull();
		assertThat(bug.getResolvedAt()).isNull();
		assertThat(bug.getUpdatedAt()).isEqualTo(NOW.plusSeconds(180));
	}

	@Test
	void aBugCannotDuplicateItself() {
		Bug bug = bug();
		bug.assignId(5);
		bug.moveTo(Status.IN_PROGRESS, null, null, NOW);
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> bug.moveTo(Status.RESOLVED, Resolution.DUPLICATE, 5L, NOW))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("duplicateOf"));
	}

	@Test
	void editsRecordEveryChangedFieldAndNormaliseLabels() {
		Bug bug = bug();
		var changes = bug.edit(new BugEdit("New title", "", Priority.HIGH, null, Set.of("UI", " login ")), NOW);

		assertThat(changes).extracting(Change::field).containsExactly("title", "priority", "labels");
		assertThat(bug.getLabels()).containsExactly("login", "ui");
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> bug.edit(new BugEdit(null, null, null, null, Set.of("no spaces")), NOW))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("labels"));
		assertThatExceptionOfType(InvalidBugException.class)
			.isThrownBy(() -> bug.edit(new BugEdit("x".repeat(201), null, null, null, null), NOW))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("title"));
	}

	@Test
	void notifiesReporterAssigneeAndWatchersButNotTheActor() {
		Bug bug = Bug.report(new NewBug("t", null, null, null, 1L, 2L, null), NOW);
		bug.watch(3, NOW);

		assertThat(bug.interestedUsers(2L)).containsExactly(1L, 3L);
		assertThat(bug.interestedUsers(null)).containsExactly(1L, 2L, 3L);
	}

	@Test
	void parsesIdsAndKeys() {
		assertThat(Bug.parseIdOrKey("42")).isEqualTo(42L);
		assertThat(Bug.parseIdOrKey("BUG-42")).isEqualTo(42L);
		assertThat(Bug.parseIdOrKey("bug-42")).isEqualTo(42L);
		assertThat(Bug.parseIdOrKey("BUG-")).isNull();
		assertThat(Bug.parseIdOrKey("abc")).isNull();
	}

	private static Bug bug() {
		return Bug.report(new NewBug("Login button does nothing", null, null, null, null, null, null), NOW);
	}

}
