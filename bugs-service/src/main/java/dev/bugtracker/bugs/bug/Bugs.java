package dev.bugtracker.bugs.bug;

import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

/**
 * All bugs.
 */
public interface Bugs extends ListCrudRepository<Bug, Long>, PagingAndSortingRepository<Bug, Long> {

}
