package dev.bugtracker.platform.flyway;

import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.Location;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;

/**
 * Lets a platform feature bring the schema of the tables it owns: its migrations are
 * added to the service's Flyway locations.
 */
public final class FlywayLocations {

	private FlywayLocations() {
	}

	/**
	 * A customizer that adds a location to the service's own.
	 * @param location e.g. {@code classpath:db/outbox}
	 * @return the customizer
	 */
	public static FlywayConfigurationCustomizer adding(String location) {
		return (configuration) -> {
			List<Location> locations = new ArrayList<>(List.of(configuration.getLocations()));
			locations.add(new Location(location));
			configuration.locations(locations.toArray(Location[]::new));
		};
	}

}
