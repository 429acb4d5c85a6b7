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
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The rules of the driver's structure (docs/ARCHITECTURE.md): the packages follow the pipeline without cycles, the
 * JDBC classes hold JDBC state and delegate (no planning, no routing), and the public API stays small: public types
 * live in the few API packages or under {@code org.collegedb.internal}, which is not API.
 */
class ArchitectureTest {
  private static final JavaClasses DRIVER = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.collegedb");

  /** The packages whose public types are the driver's API; everything else lives under {@link #INTERNAL}. */
  private static final Set<String> API = Set.of("org.collegedb", "org.collegedb.jdbc", "org.collegedb.admin",
      "org.collegedb.capture", "org.collegedb.metrics", "org.collegedb.migrate");

  /** Where the pipeline's packages live: public there only so that the pipeline can span packages; not API. */
  private static final String INTERNAL = "org.collegedb.internal.";

  /** One slice per package below {@code org.collegedb} or {@code org.collegedb.internal}, API and internal alike. */
  private static final SliceAssignment PIPELINE_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass type) {
      String name = type.getPackageName();
      if (!name.startsWith("org.collegedb.")) {
        return SliceIdentifier.ignore();
      }
      String rest = name.substring("org.collegedb.".length());
      if (rest.startsWith("internal.")) {
        rest = rest.substring("internal.".length());
      }
      return SliceIdentifier.of(rest.split("\\.")[0]);
    }

    @Override
    public String getDescription() {
      return "the packages below org.collegedb and org.collegedb.internal";
    }
  };

  @Test
  void packagesHaveNoCycles() {
    slices().assignedFrom(PIPELINE_PACKAGES).should().beFreeOfCycles().check(DRIVER);
  }

  @Test
  void jdbcClassesNeitherPlanNorRoute() {
    noClasses().that().resideInAPackage("org.collegedb.jdbc")
        .should().dependOnClassesThat().resideInAnyPackage("org.collegedb.internal.plan", "org.collegedb.internal.route",
            "org.collegedb.internal.rewrite")
        .because("the JDBC classes hold JDBC state and delegate to org.collegedb.internal.run")
        .check(DRIVER);
  }

  @Test
  void theParserKnowsNothingOfTheDriver() {
    noClasses().that().resideInAPackage("org.collegedb.parse")
        .should().dependOnClassesThat().resideInAnyPackage("org.collegedb.jdbc..", "org.collegedb.internal.run..",
            "org.collegedb.internal.plan..", "org.collegedb.internal.route..", "org.collegedb.internal.execute..")
        .check(DRIVER);
  }

  @Test
  void planningDoesNoIo() {
    noClasses().that().resideInAPackage("org.collegedb.internal.plan")
        .should().dependOnClassesThat().resideInAnyPackage("org.collegedb.internal.run", "org.collegedb.internal.execute",
            "org.collegedb.jdbc", "org.collegedb.internal.directory")
        .orShould().callMethod(java.sql.Connection.class, "createStatement")
        .because("a plan is made without I/O; the runner carries it out")
        .check(DRIVER);
  }

  @Test
  void theRunnerDoesNotRoute() {
    noClasses().that().resideInAPackage("org.collegedb.internal.run")
        .should().callMethodWhere(new com.tngtech.archunit.base.DescribedPredicate<
            com.tngtech.archunit.core.domain.JavaMethodCall>("a routing method of ShardRouter") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            return call.getTargetOwner().isEquivalentTo(org.collegedb.internal.route.ShardRouter.class)
                && call.getName().matches("route.*|insertOwners");
          }
        })
        .because("routing is decided in org.collegedb.internal.route through the planner; a plan node carries the route")
        .check(DRIVER);
  }

  /**
   * A caller's text is cut only where its tokens' character offsets are read: {@code Tokens.start(int)} and
   * {@code Tokens.end(int)}. Outside the parser, only the rewrite package reads them ({@code Splice}); everything else
   * says what it wants as {@code Edit} or {@code Composed} parts (copies of token ranges), so that every derived text
   * is a printable value and carries the caller's parameters it holds.
   */
  @Test
  void onlyRewriteCutsTheCallersText() {
    noClasses().that().resideOutsideOfPackages("org.collegedb.internal.rewrite", "org.collegedb.parse..")
        .should().callMethodWhere(new com.tngtech.archunit.base.DescribedPredicate<
            com.tngtech.archunit.core.domain.JavaMethodCall>("Tokens.start(int) or Tokens.end(int)") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            return call.getTargetOwner().isEquivalentTo(org.collegedb.parse.Tokens.class)
                && call.getName().matches("start|end");
          }
        })
        .because("every edit of a caller's text is an Edit record or Composed parts applied by rewrite.Splice")
        .check(DRIVER);
  }

  @Test
  void refusalsAreNodesNotExceptionsOutsideThePlanner() {
    classes().that().resideInAnyPackage("org.collegedb.jdbc", "org.collegedb.internal.run")
        .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.not(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith("AcrossShards")))
        .because("only the planner turns the router's refusals into plan nodes")
        .check(DRIVER);
  }

  @Test
  void publicTypesAreTheApiOrInternal() {
    List<String> stray = DRIVER.stream()
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && !c.isNestedClass())
        .map(JavaClass::getPackageName)
        .filter(p -> p.startsWith("org.collegedb") && !API.contains(p) && !p.startsWith(INTERNAL)
            && !p.startsWith("org.collegedb.parse"))
        .distinct().sorted().toList();
    assertThat(stray).as("packages with public types that are neither the API %s nor under %s: make the types "
        + "package-private, move the package under %s, or make it API on purpose (README, docs/ARCHITECTURE.md)",
        new TreeSet<>(API), INTERNAL, INTERNAL).isEmpty();
  }

  @Test
  void theApiPackagesAreFew() {
    Set<String> packages = DRIVER.stream().map(JavaClass::getPackageName)
        .filter(p -> p.startsWith("org.collegedb") && !p.startsWith(INTERNAL) && !p.startsWith("org.collegedb.parse"))
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(packages).as("a package outside %s is API: add it on purpose", INTERNAL).isSubsetOf(API);
  }
}
