package dev.bugtracker.bugs.bug;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The workflow of a bug: which status may follow which, and what a move requires.
 * <p>
 * {@code OPEN → IN_PROGRESS → RESOLVED → CLOSED}; {@code RESOLVED} and {@code CLOSED} may
 * be {@code REOPENED}, which goes on to {@code IN_PROGRESS} or {@code RESOLVED}.
 * {@code OPEN} and {@code REOPENED} may go straight to {@code CLOSED} with a resolution.
 * Resolving always needs a resolution; {@code DUPLICATE} also needs the bug it
 * duplicates.
 */
public final class Workflow {

	private static final Map<Status, Set<Status>> MOVES = new EnumMap<>(Status.class);

	static {
		MOVES.put(Status.OPEN, EnumSet.of(Status.IN_PROGRESS, Status.CLOSED));
		MOVES.put(Status.IN_PROGRESS, EnumSet.of(Status.RESOLVED));
		MOVES.put(Status.RESOLVED, EnumSet.of(Status.CLOSED, Status.REOPENED));
		MOVES.put(Status.CLOSED, EnumSet.of(Status.REOPENED));
		MOVES.put(Status.REOPENED, EnumSet.of(Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED));
	}

	private Workflow() {
	}

	/**
	 * The statuses a bug may move to from the given one.
	 * @param from the current status
	 * @return the allowed targets, possibly empty
	 */
	public static Set<Status> allowedMoves(Status from) {
		return EnumSet.copyOf(MOVES.get(from));
	}

	/**
	 * Check a move and work out the resolution the bug has after it.
	 * @param from the current status
	 * @param current the current resolution, if any
	 * @param to the requested status
	 * @param resolution the resolution given with the request, if any
	 * @param duplicateOf the bug given as the original, if any
	 * @return the resolution after the move ({@code null} when the bug is not resolved)
	 * @throws InvalidTransitionException if the move is not in the workflow
	 * @throws InvalidBugException if the resolution or duplicateOf do not fit the move
	 */
	static Resolution check(Status from, Resolution current, Status to, Resolution resolution, Long duplicateOf) {
		if (!MOVES.getOrDefault(from, Set.of()).contains(to)) {
			throw new InvalidTransitionException(from, to, allowedMoves(from));
		}
		boolean closingWithResolution = to == Status.RESOLVED
				|| (to == Status.CLOSED && (from == Status.OPEN || from == Status.REOPENED));
		Resolution after;
		if (closingWithResolution) {
			if (resolution == null) {
				throw new InvalidBugException("resolution", "is required to move from " + from + " to " + to
						+ "; one of " + Arrays.toString(Resolution.values()));
			}
			after = resolution;
		}
		else if (to == Status.CLOSED) {
			// RESOLVED -> CLOSED keeps the resolution it was resolved with.
			if (resolution != null && resolution != current) {
				throw new InvalidBugException("resolution", "cannot be changed when closing a resolved bug");
			}
			after = current;
		}
		else {
			if (resolution != null) {
				throw new InvalidBugException("resolution", "only applies when resolving or closing a bug");
			}
			after = null;
		}
		if (duplicateOf != null && after != Resolution.DUPLICATE) {
			throw new InvalidBugException("duplicateOf", "only applies with resolution DUPLICATE");
		}
		if (closingWithResolution && after == Resolution.DUPLICATE && duplicateOf == null) {
			throw new InvalidBugException("duplicateOf", "is required with resolution DUPLICATE");
		}
		return after;
	}

}
