package dev.bugtracker.bugs.bug.web;

/**
 * The user acting on a request, or none.
 * <p>
 * Until authentication exists this is the {@code X-User-Id} header
 * ({@link ActorArgumentResolver}); an authenticated principal will replace it there, in
 * one place.
 *
 * @param userId the acting user's id, or null when the request does not say
 */
record Actor(Long userId) {
}
