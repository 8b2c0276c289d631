package dev.bugtracker.bugs.bug.web;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.bugtracker.bugs.bug.Bug;

/**
 * The tutorial's body of {@code POST /bugs/create}.
 *
 * @param bug the bug's title; required, at most 200 characters
 */
record ReportBugRequest(@NotBlank @Size(max = Bug.MAX_TITLE) String bug) {
}
