package dev.bugtracker.bugs.bug;

import java.util.Set;

import dev.bugtracker.platform.outbox.EmailOutbox;
import dev.bugtracker.platform.outbox.OutgoingEmail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Queues the emails a change causes, in the transaction of the change (through the
 * outbox). Subjects carry the key and title: {@code [BUG-42] Login button does nothing}.
 * Runs inside the transaction, so it never asks users-service: {@link BugService} looks
 * the recipients up before the transaction opens, and this takes them from the
 * directory's memory.
 */
@Component
class BugNotifications {

	private static final Logger log = LoggerFactory.getLogger(BugNotifications.class);

	private final EmailOutbox outbox;

	private final UserDirectory users;

	BugNotifications(EmailOutbox outbox, UserDirectory users) {
		this.outbox = outbox;
		this.users = users;
	}

	/** The new assignee hears about it, unless they assigned themselves. */
	void assigned(Bug bug, Long actor) {
		Long assignee = bug.getAssigneeId();
		if (assignee == null || assignee.equals(actor)) {
			return;
		}
		send(bug, Set.of(assignee), "assigned:v" + bug.getVersion(),
				"%s assigned %s to you.".formatted(actorName(actor), bug.getKey()));
	}

	/** Reporter, assignee and watchers hear about a status change, except who made it. */
	void statusChanged(Bug bug, Status from, Long actor) {
		String resolution = (bug.getResolution() != null) ? " (" + bug.getResolution() + ")" : "";
		send(bug, bug.interestedUsers(actor), "status:v" + bug.getVersion(), "%s moved %s from %s to %s%s."
			.formatted(actorName(actor), bug.getKey(), from, bug.getStatus(), resolution));
	}

	/** Reporter, assignee and watchers hear about a new comment, except its author. */
	void commented(Bug bug, Comment comment) {
		send(bug, bug.interestedUsers(comment.authorId()), "comment:" + comment.id(),
				"%s commented on %s:%n%n%s".formatted(actorName(comment.authorId()), bug.getKey(), comment.body()));
	}

	private void send(Bug bug, Set<Long> recipients, String event, String text) {
		String subject = "[" + bug.getKey() + "] " + oneLine(bug.getTitle());
		for (Long userId : recipients) {
			this.users.known(userId)
				.ifPresentOrElse(
						(user) -> this.outbox.enqueue(
								new OutgoingEmail("bugs:" + bug.getId() + ":" + event + ":user:" + userId, user.email(),
										subject, "Hello %s,%n%n%s%n%n-- Bugtracker%n".formatted(user.name(), text))),
						() -> log.warn("No email about {} to user {}: not looked up before the change", bug.getKey(),
								userId));
		}
	}

	/**
	 * A subject is one header line: notificator refuses one with a line break (it would
	 * inject a header), so line breaks and other control characters of user text become
	 * single spaces, instead of making the email fail for good.
	 */
	static String oneLine(String text) {
		return text.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ").strip();
	}

	private String actorName(Long actor) {
		if (actor == null) {
			return "Someone";
		}
		return this.users.known(actor).map(UserDirectory.UserContact::name).orElse("User " + actor);
	}

}
