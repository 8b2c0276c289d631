package dev.bugtracker.users;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Layering rules: the domain knows nothing of its transports.
 */
@AnalyzeClasses(packages = "dev.bugtracker.users", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

	@ArchTest
	static final ArchRule domainDoesNotDependOnWebOrGrpc = noClasses().that()
		.resideInAPackage("dev.bugtracker.users.user")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("..web..", "org.springframework.web..", "org.springframework.http..", "io.grpc..",
				"jakarta.servlet..");

	@ArchTest
	static final ArchRule transportIsNotUsedByDomain = noClasses().that()
		.resideOutsideOfPackage("dev.bugtracker.users.user.web..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.bugtracker.users.user.web..");

}
