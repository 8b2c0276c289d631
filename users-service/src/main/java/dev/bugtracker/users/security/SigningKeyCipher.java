package dev.bugtracker.users.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the private halves of the token signing keys before they reach the database,
 * with AES-256-GCM under a key derived from {@code SIGNING_KEYS_SECRET}. A stored key
 * reads {@code v1:<secret id>:<base64 of nonce and ciphertext>}; the key's id is the
 * additional authenticated data, so a row copied under another id does not decrypt.
 * <p>
 * Rotation: the new secret goes into {@code SIGNING_KEYS_SECRET} and the old one into
 * {@code SIGNING_KEYS_PREVIOUS_SECRETS}; every instance decrypts with either, and the
 * refresh re-encrypts what the old one sealed (and any key stored before encryption, in
 * plain base64) under the new one. Once the log says no key is left under the old secret,
 * it can be dropped.
 */
final class SigningKeyCipher {

	private static final String VERSION = "v1";

	private static final int NONCE_BYTES = 12;

	private final SecureRandom random = new SecureRandom();

	private final String currentId;

	private final Map<String, SecretKey> keys;

	private SigningKeyCipher(String currentId, Map<String, SecretKey> keys) {
		this.currentId = currentId;
		this.keys = keys;
	}

	/**
	 * @param secret the secret that encrypts
	 * @param previous secrets that only decrypt (a rotation in progress)
	 * @return the cipher
	 */
	static SigningKeyCipher of(String secret, List<String> previous) {
		Map<String, SecretKey> keys = new LinkedHashMap<>();
		SecretKey current = derive(secret);
		String currentId = id(current);
		keys.put(currentId, current);
		for (String old : previous) {
			if (old != null && !old.isBlank()) {
				SecretKey key = derive(old.strip());
				keys.putIfAbsent(id(key), key);
			}
		}
		return new SigningKeyCipher(currentId, Map.copyOf(keys));
	}

	/**
	 * @param kid the signing key's id
	 * @param privateKey its private half (PKCS#8)
	 * @return what to store
	 */
	String seal(String kid, byte[] privateKey) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
			aes.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentId), new GCMParameterSpec(128, nonce));
			aes.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = aes.doFinal(privateKey);
			byte[] stored = new byte[nonce.length + sealed.length];
			System.arraycopy(nonce, 0, stored, 0, nonce.length);
			System.arraycopy(sealed, 0, stored, nonce.length, sealed.length);
			return VERSION + ":" + this.currentId + ":" + Base64.getEncoder().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot encrypt token signing key " + kid, ex);
		}
	}

	/**
	 * @param kid the signing key's id
	 * @param stored what the database holds: sealed, or plain base64 from before
	 * encryption
	 * @return the private half (PKCS#8)
	 * @throws IllegalStateException if it was sealed under a secret this instance does
	 * not have, or was altered
	 */
	byte[] open(String kid, String stored) {
		if (!stored.startsWith(VERSION + ":")) {
			return Base64.getDecoder().decode(stored);
		}
		String[] parts = stored.split(":", 3);
		SecretKey key = (parts.length == 3) ? this.keys.get(parts[1]) : null;
		if (key == null) {
			throw new IllegalStateException("Token signing key " + kid + " is encrypted under a secret that is neither "
					+ "SIGNING_KEYS_SECRET nor one of SIGNING_KEYS_PREVIOUS_SECRETS (docs/operations.md, "
					+ "\"Token signing keys\")");
		}
		byte[] bytes = Base64.getDecoder().decode(parts[2]);
		try {
			Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
			aes.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, NONCE_BYTES));
			aes.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
			return aes.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(
					"Token signing key " + kid + " does not decrypt: altered, or stored " + "under another key id", ex);
		}
	}

	/**
	 * @param stored what the database holds
	 * @return whether it is sealed under the current secret (else the refresh seals it
	 * again)
	 */
	boolean isCurrent(String stored) {
		return stored.startsWith(VERSION + ":" + this.currentId + ":");
	}

	private static SecretKey derive(String secret) {
		try {
			Mac hmac = Mac.getInstance("HmacSHA256");
			hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return new SecretKeySpec(hmac.doFinal("bugtracker token signing keys v1".getBytes(StandardCharsets.UTF_8)),
					"AES");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
		}
	}

	private static String id(SecretKey key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
			return HexFormat.of().formatHex(digest, 0, 4);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
