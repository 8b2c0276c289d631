package dev.bugtracker.notificator.notification;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Validation of send requests, field by field.
 */
class EmailRequestTest {

	@ParameterizedTest(name = "{0} -> {4}")
	@CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
			test                  | Hi      | Body | key-1 | email
			''                    | Hi      | Body | key-1 | email
			a@b                   | Hi      | Body | key-1 | email
			a b@example.com       | Hi      | Body | key-1 | email
			someone@example.com   | ''      | Body | key-1 | subject
			someone@example.com   | 'a\nb'  | Body | key-1 | subject
			someone@example.com   | Hi      | ''   | key-1 | content
			someone@example.com   | Hi      | Body | ''    | idempotency_key
			someone@example.com   | Hi      | Body | '  '  | idempotency_key
			""")
	void rejectsInvalidFieldsNamingThem(String email, String subject, String body, String key, String field) {
		String realSubject = subject.replace("\\n", "\n");
		assertThatExceptionOfType(InvalidEmailRequestException.class)
			.isThrownBy(() -> EmailRequest.of(email, realSubject, body, key))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(field));
	}

	@ParameterizedTest
	@CsvSource({ "someone@example.com", "First.Last+tag@sub.example.org", "x@example.co" })
	void acceptsValidAddresses(String email) {
		assertThat(EmailRequest.of(email, "Hi", "Body", "key").recipient()).isEqualTo(email);
	}

	@ParameterizedTest
	@CsvSource({ "201" })
	void rejectsOverlongKeys(int length) {
		assertThatExceptionOfType(InvalidEmailRequestException.class)
			.isThrownBy(() -> EmailRequest.of("a@example.com", "Hi", "Body", "k".repeat(length)))
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo("idempotency_key"));
	}

}
