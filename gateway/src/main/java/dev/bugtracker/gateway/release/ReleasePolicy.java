package dev.bugtracker.gateway.release;

import org.jspecify.annotations.Nullable;

/**
 * How one service's traffic is split between versions. Instances of {@code stable} take
 * what the canary does not; instances of {@code canary} take {@code canaryPercent}
 * percent, and the requests pinned to it. Instances of any other version take nothing
 * (the idle colour of a blue-green pair). A version without a live instance never costs a
 * request: its share goes to the other one.
 *
 * @param stable the version that takes the traffic
 * @param canary the version under trial, if any
 * @param canaryPercent its share of the requests, 0 to 100
 */
public record ReleasePolicy(String stable, @Nullable String canary, int canaryPercent) {

	public ReleasePolicy {
		if (stable == null || stable.isBlank()) {
			throw new IllegalArgumentException("'stable' must name a version");
		}
		if (canaryPercent < 0 || canaryPercent > 100) {
			throw new IllegalArgumentException("'canaryPercent' must be between 0 and 100, not " + canaryPercent);
		}
		if (canary != null && canary.isBlank()) {
			canary = null;
		}
		if (canary == null && canaryPercent != 0) {
			throw new IllegalArgumentException("'canaryPercent' needs a 'canary' version");
		}
		if (canary != null && canary.equals(stable)) {
			throw new IllegalArgumentException("'canary' and 'stable' must be different versions");
		}
	}

}
