package dev.bugtracker.systemtests;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log against its own service's database connections: users-service runs as a
 * role of its own, which may add entries and read them, and nothing else: not change,
 * delete or truncate them, and not drop or disable the triggers that refuse those, nor
 * the table. An attacker who takes over the service's connections (an injection, a
 * compromised dependency) cannot cover their tracks.
 */
@ExtendWith(StackExtension.class)
class AuditLogTamperingIT {

	@Test
	void theServicesOwnRoleCanAddToTheAuditLogButNotChangeOrRemoveIt(Stack stack) throws Exception {
		// Something to tamper with: a sign-up's entry.
		stack.signUp("audited-" + System.nanoTime() + "@example.com");
		try (Connection service = stack.connectAs(Stack.USERS_RUNTIME_ROLE, "users");
				Statement statement = service.createStatement()) {
			try (var rows = statement.executeQuery("select count(*) from audit_event")) {
				rows.next();
				assertThat(rows.getLong(1)).as("entries the service's role reads").isPositive();
			}
			service.setAutoCommit(false);
			assertThat(statement.executeUpdate("insert into audit_event (occurred_at, type, actor, outcome)"
					+ " values (now(), 'TEST', 'audit-log-tampering-it', 'SUCCESS')"))
				.isEqualTo(1);
			service.rollback();
			service.setAutoCommit(true);

			Map<String, String> refused = new LinkedHashMap<>();
			for (String tampering : List.of("update audit_event set details = 'nothing happened'",
					"delete from audit_event", "truncate audit_event",
					"drop trigger audit_event_append_only on audit_event",
					"alter table audit_event disable trigger all", "drop table audit_event",
					"update flyway_schema_history set success = false")) {
				refused.put(tampering, sqlState(statement, tampering));
			}
			List<String> allowed = new ArrayList<>();
			refused.forEach((tampering, state) -> {
				// 42501: insufficient privilege; 42P01: the table is not even visible.
				if (!"42501".equals(state) && !"42P01".equals(state)) {
					allowed.add(tampering + " -> " + state);
				}
			});
			assertThat(allowed).as("statements that were not refused for want of privilege").isEmpty();
		}
		try (Connection owner = stack.connect("users");
				var rows = owner.createStatement()
					.executeQuery("select count(*) from audit_event where actor = 'audit-log-tampering-it'")) {
			rows.next();
			assertThat(rows.getLong(1)).isZero();
		}
	}

	/** The SQL state a statement fails with, or "ok" if it succeeded. */
	private static String sqlState(Statement statement, String sql) {
		try {
			statement.execute(sql);
			return "ok";
		}
		catch (SQLException ex) {
			return ex.getSQLState();
		}
	}

}
