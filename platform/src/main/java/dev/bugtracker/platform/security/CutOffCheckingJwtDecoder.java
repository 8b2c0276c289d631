package dev.bugtracker.platform.security;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Refuses a user's access token issued before their credentials were cut off
 * ({@link CredentialCutOffs}): its {@value CredentialCutOffs#CLAIM} claim is lower than
 * the account's current version. Checked on every request, after the wrapped decoder
 * (which may have remembered the token as valid). Tokens of services (whose subject is a
 * client id, not a user's number) are not affected; a user's token without the claim
 * counts as version 0. A token revoked before it expires (by its id, {@code jti}) is
 * refused whoever it belongs to.
 */
public final class CutOffCheckingJwtDecoder implements JwtDecoder {

	private final JwtDecoder decoder;

	private final CredentialCutOffs cutOffs;

	/**
	 * @param decoder checks signature, issuer and expiry
	 * @param cutOffs the accounts cut off lately
	 */
	public CutOffCheckingJwtDecoder(JwtDecoder decoder, CredentialCutOffs cutOffs) {
		this.decoder = decoder;
		this.cutOffs = cutOffs;
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt jwt = this.decoder.decode(token);
		if (jwt.getId() != null && this.cutOffs.isRevoked(jwt.getId())) {
			throw new BadJwtException("The token was revoked");
		}
		String subject = jwt.getSubject();
		if (subject == null || subject.isEmpty() || subject.length() > 18
				|| !subject.chars().allMatch(Character::isDigit)) {
			return jwt;
		}
		Object claim = jwt.getClaims().get(CredentialCutOffs.CLAIM);
		long version = (claim instanceof Number number) ? number.longValue() : 0;
		if (version < this.cutOffs.minimumVersion(Long.parseLong(subject))) {
			throw new BadJwtException("The token was issued before its owner's credentials were revoked");
		}
		return jwt;
	}

}
