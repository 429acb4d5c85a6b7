package org.collegedb.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of the driver's structure (docs/ARCHITECTURE.md): the packages follow the pipeline without cycles, the
 * JDBC classes hold JDBC state and delegate (no planning, no routing), and the public API stays small: a public
 * type outside the API packages must be listed in {@code architecture/public-types.txt}, so that a new one is a
 * reviewed decision, never an accident.
 */
class ArchitectureTest {
  private static final JavaClasses DRIVER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.collegedb");

  /** The packages whose public types are the driver's API. */
  private static final Set<String> API = Set.of("org.collegedb", "org.collegedb.jdbc", "org.collegedb.admin",
      "org.collegedb.capture");

  private static final Path PUBLIC_TYPES = Path.of(System.getProperty("basedir", "."), "src", "test", "resources",
      "architecture", "public-types.txt");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.collegedb.(*)..").should().beFreeOfCycles().check(DRIVER);
  }

  @Test
  void jdbcClassesNeitherPlanNorRoute() {
    noClasses().that().resideInAPackage("org.collegedb.jdbc")
        .should().dependOnClassesThat().resideInAnyPackage("org.collegedb.plan", "org.collegedb.route",
            "org.collegedb.rewrite")
        .because("the JDBC classes hold JDBC state and delegate to org.collegedb.run")
        .check(DRIVER);
  }

  @Test
  void theParserKnowsNothingOfTheDriver() {
    noClasses().that().resideInAPackage("org.collegedb.parse")
        .should().dependOnClassesThat().resideInAnyPackage("org.collegedb.jdbc..", "org.collegedb.run..",
            "org.collegedb.plan..", "org.collegedb.route..", "org.collegedb.execute..")
        .check(DRIVER);
  }

  @Test
  void planningDoesNoIo() {
    noClasses().that().resideInAPackage("org.collegedb.plan")
        .should().dependOnClassesThat().resideInAnyPackage("org.collegedb.run", "org.collegedb.execute",
            "org.collegedb.jdbc", "org.collegedb.directory")
        .orShould().callMethod(java.sql.Connection.class, "createStatement")
        .because("a plan is made without I/O; the runner carries it out")
        .check(DRIVER);
  }

  @Test
  void theRunnerDoesNotRoute() {
    noClasses().that().resideInAPackage("org.collegedb.run")
        .should().callMethodWhere(new com.tngtech.archunit.base.DescribedPredicate<
            com.tngtech.archunit.core.domain.JavaMethodCall>("a routing method of ShardRouter") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            return call.getTargetOwner().isEquivalentTo(org.collegedb.route.ShardRouter.class)
                && call.getName().matches("route.*|insertOwners");
          }
        })
        .because("routing is decided in org.collegedb.route through the planner; a plan node carries the route")
        .check(DRIVER);
  }

  @Test
  void refusalsAreNodesNotExceptionsOutsideThePlanner() {
    classes().that().resideInAnyPackage("org.collegedb.jdbc", "org.collegedb.run")
        .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.not(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith("AcrossShards")))
        .because("only the planner turns the router's refusals into plan nodes")
        .check(DRIVER);
  }

  @Test
  void publicTypesOutsideTheApiAreListed() throws IOException {
    Set<String> actual = DRIVER.stream()
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
        .filter(c -> !c.isNestedClass() || c.getEnclosingClass().map(e -> e.getModifiers()
            .contains(JavaModifier.PUBLIC)).orElse(true))
        .filter(c -> c.getPackageName().startsWith("org.collegedb"))
        .filter(c -> !API.contains(c.getPackageName()))
        .filter(c -> !c.getPackageName().startsWith("org.collegedb.parse"))
        .filter(c -> !c.isNestedClass())
        .map(JavaClass::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    if (Boolean.getBoolean("architecture.update")) {
      Files.createDirectories(PUBLIC_TYPES.getParent());
      Files.writeString(PUBLIC_TYPES, "# Public types outside the API packages " + new TreeSet<>(API) + ", one a line.\n"
          + "# A new one fails ArchitectureTest: make it package-private, or add it here on purpose.\n"
          + String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
      return;
    }
    List<String> listed = Files.readAllLines(PUBLIC_TYPES, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    Set<String> added = new TreeSet<>(actual);
    added.removeAll(listed);
    assertThat(added).as("public types outside the API packages that %s does not list (make them package-private, "
        + "or list them on purpose; -Darchitecture.update=true rewrites the list)", PUBLIC_TYPES).isEmpty();
    Set<String> gone = new TreeSet<>(listed);
    gone.removeAll(actual);
    assertThat(gone).as("types %s lists that are no longer public: take them off the list", PUBLIC_TYPES).isEmpty();
  }
}
