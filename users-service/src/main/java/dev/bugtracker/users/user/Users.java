package dev.bugtracker.users.user;

import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

/**
 * All users.
 */
public interface Users extends ListCrudRepository<User, Long>, PagingAndSortingRepository<User, Long> {

	boolean existsByEmail(String email);

	Optional<User> findByEmail(String email);

	Page<User> findByEmail(String email, Pageable pageable);

}
