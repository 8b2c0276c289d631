package dev.bugtracker.bugs.bug;

import java.util.Optional;

import dev.bugtracker.platform.outbox.EmailOutbox;
import dev.bugtracker.platform.outbox.OutgoingEmail;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * The emails a change queues. User text never breaks delivery: notificator refuses a
 * subject with a line break (it would inject a header), so a title with one would make
 * every email about the bug fail for good.
 */
class BugNotificationsTest {

	private final EmailOutbox outbox = mock(EmailOutbox.class);

	private final UserDirectory users = mock(UserDirectory.class);

	@Test
	void aTitleWithLineBreaksAndControlCharactersMakesAOneLineSubject() {
		given(this.users.known(1L)).willReturn(Optional.of(new UserDirectory.UserContact(1, "rep@example.com", "Rep")));
		Bug bug = BugTestData.bug(5, "Crash\r\nBcc: victim@example.com\u2028on\tsave\u0000", 0);

		new BugNotifications(this.outbox, this.users).statusChanged(bug, Status.OPEN, 2L);

		ArgumentCaptor<OutgoingEmail> email = ArgumentCaptor.forClass(OutgoingEmail.class);
		verify(this.outbox).enqueue(email.capture());
		assertThat(email.getValue().subject())
			.isEqualTo("[" + bug.getKey() + "] Crash Bcc: victim@example.com on save");
		assertThat(email.getValue().recipient()).isEqualTo("rep@example.com");
	}

}
