package dev.switchboard.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package and module rules of the architecture (shared/spec/architecture.md, sections 2 and 4), checked on
 * the compiled main classes of every module: a change that breaks one fails the build, naming the class and the
 * dependency.
 */
final class ArchitectureRulesTest {
    private static final String API = "dev.switchboard.api..";
    private static final String SERVER = "dev.switchboard.server..";
    private static final String TESTKIT = "dev.switchboard.testkit..";
    private static final String PLUGIN_SUPPORT = "dev.switchboard.plugins.support..";
    /** The root package of each plugin in this build; a plugin's code may use its own root, the api and support. */
    private static final List<String> PLUGIN_ROOTS = List.of("dev.switchboard.plugins.comfyui",
            "dev.switchboard.plugins.swarm", "dev.switchboard.plugins.support", "dev.switchboard.examples.echo");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.switchboard");
    }

    @Test
    void everyModuleIsThere() {
        // A rule over packages that were never imported passes vacuously: make sure each module's classes are here.
        for (String root : List.of("dev.switchboard.api", "dev.switchboard.server.backends",
                "dev.switchboard.server.store", "dev.switchboard.testkit", "dev.switchboard.plugins.comfyui",
                "dev.switchboard.plugins.swarm", "dev.switchboard.plugins.support", "dev.switchboard.examples.echo")) {
            assertTrue(classes.stream().anyMatch(type -> inPackage(type.getPackageName(), root)),
                    root + " must be on the class path of this check");
        }
    }

    @Test
    void theApiKnowsOnlyTheJdkPf4jAndSlf4j() {
        check(classes().that().resideInAPackage(API).should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", API, "org.pf4j..", "org.slf4j..")
                .because("the api is the contract plugin authors compile against: no server internals, no Gson,"
                        + " Guice or Undertow types"));
    }

    @Test
    void pluginsSeeOnlyTheApiAndPluginSupport() {
        check(classes().that().resideInAnyPackage("dev.switchboard.plugins..", "dev.switchboard.examples..")
                .should(useOnlyTheApiSupportAndTheirOwnPackages())
                .because("a plugin is loaded in isolation and sees only the api (and bundles support)"));
    }

    @Test
    void testkitNeverDependsOnTheServer() {
        check(noClasses().that().resideInAPackage(TESTKIT).should().dependOnClassesThat().resideInAPackage(SERVER)
                .because("plugin authors test with the testkit against a packaged server, never its classes"));
    }

    @Test
    void backendsKnowNothingOfHttpOrRoutes() {
        check(noClasses().that().resideInAPackage("dev.switchboard.server.backends..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.switchboard.server.http..", "dev.switchboard.server.routes..",
                        "dev.switchboard.server.settings..", "com.google.gson..")
                .because("the domain takes typed changes; wire JSON lives in routes and settings"));
    }

    @Test
    void theStoreKnowsNothingOfBackendsPluginsRoutesOrAccounts() {
        check(noClasses().that().resideInAPackage("dev.switchboard.server.store..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.switchboard.server.backends..", "dev.switchboard.server.plugins..",
                        "dev.switchboard.server.routes..", "dev.switchboard.server.http..",
                        "dev.switchboard.server.accounts..")
                .because("the store keeps documents durable through their codecs; what they mean is their"
                        + " owners' business (the accounts' codec lives in accounts)"));
    }

    @Test
    void settingsJsonAndSessionsStandAlone() {
        check(noClasses().that().resideInAnyPackage("dev.switchboard.server.settings..",
                        "dev.switchboard.server.sessions..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.switchboard.server.backends..", "dev.switchboard.server.routes..",
                        "dev.switchboard.server.store..", "dev.switchboard.server.plugins.."));
    }

    @Test
    void onlyTheBootstrapWiresRoutes() {
        check(noClasses().that().resideOutsideOfPackages("dev.switchboard.server.routes..",
                        "dev.switchboard.server.bootstrap..").should().dependOnClassesThat()
                .resideInAPackage("dev.switchboard.server.routes..")
                .because("routes translate between the wire and the domain; nothing below them calls up"));
    }

    @Test
    void theDispatcherClaimsBackendsOnlyThroughThePort() {
        DescribedPredicate<JavaClass> behindThePort = resideInAPackage("dev.switchboard.server.backends..")
                .and(not(simpleNameIn("BackendClaims", "BackendClaim", "BackendSnapshot", "JobFailedException")));
        check(noClasses().that().resideInAPackage("dev.switchboard.server.dispatch..").should().dependOnClassesThat(
                behindThePort.as("backend classes other than the claim port, its claims, snapshots and failures")));
    }

    @Test
    void roleLimitsStandAloneAndTheGenerationSideNeverKnowsAccounts() {
        check(noClasses().that().resideInAPackage("dev.switchboard.server.limits..").should().dependOnClassesThat(
                resideInAPackage(SERVER).and(not(resideInAPackage("dev.switchboard.server.limits..")))
                        .as("other server classes"))
                .because("accounts build the limits and the dispatcher enforces them; neither is needed to read them"));
        check(noClasses().that().resideInAnyPackage("dev.switchboard.server.dispatch..",
                        "dev.switchboard.server.generation..").should().dependOnClassesThat()
                .resideInAPackage("dev.switchboard.server.accounts..")
                .because("the dispatcher sees a user's roles only as UserLimits"));
    }

    @Test
    void onlyTheMetricsPackageKnowsMicrometer() {
        check(noClasses().that().resideOutsideOfPackage("dev.switchboard.server.metrics..").should()
                .dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("the server's parts report through their own listener ports; only metrics turns them into"
                        + " meters"));
        check(noClasses().that().resideOutsideOfPackages("dev.switchboard.server.metrics..",
                        "dev.switchboard.server.bootstrap..").should().dependOnClassesThat()
                .resideInAPackage("dev.switchboard.server.metrics..")
                .because("only the bootstrap hands the metrics' listeners to the parts"));
    }

    @Test
    void routesReadTheirParametersThroughTheirDeclarations() {
        String call = "dev.switchboard.server.http.ApiCall";
        String text = "java.lang.String";
        ArchRule rule = noClasses().that().resideInAPackage("dev.switchboard.server.routes..").should()
                .callMethod(call, "requiredInt", text).orShould().callMethod(call, "optionalInt", text, "int")
                .orShould().callMethod(call, "requiredBool", text).orShould()
                .callMethod(call, "optionalBool", text, "boolean").orShould().callMethod(call, "requiredString", text)
                .orShould().callMethod(call, "optionalString", text, text)
                .because("a route's parameters are ApiParam constants, so the docs show the name, type and default it"
                        + " reads");
        check(rule);
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }

    private static ArchCondition<JavaClass> useOnlyTheApiSupportAndTheirOwnPackages() {
        return new ArchCondition<>("use only java, the api, plugin support and their own plugin's packages of"
                + " this project") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String own = PLUGIN_ROOTS.stream().filter(root -> inPackage(item.getPackageName(), root))
                        .findFirst().orElse(item.getPackageName());
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    boolean project = target.startsWith("dev.switchboard.");
                    if (project && !inPackage(target, "dev.switchboard.api")
                            && !inPackage(target, "dev.switchboard.plugins.support") && !inPackage(target, own)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    private static DescribedPredicate<JavaClass> simpleNameIn(String... names) {
        List<String> allowed = List.of(names);
        return DescribedPredicate.describe("named one of " + allowed, type -> allowed.contains(type.getSimpleName()));
    }

    private static boolean inPackage(String name, String root) {
        return name.equals(root) || name.startsWith(root + ".");
    }
}
