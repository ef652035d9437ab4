package org.cgledger.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.cgledger.core.decide.Decider;
import org.cgledger.core.state.State;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** DESIGN.md §4 and STYLE.md: core is the pure model, the JDK alone. No framework gets in. */
@DisplayName("Architecture: core depends only on java.. and itself")
class ArchitectureTest {

    static final ArchRule CORE_IS_JDK_ONLY = classes()
            .that().resideInAPackage("org.cgledger.core..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.cgledger.core..")
            .because("core is the pure model: no Pekko, JDBC, picocli, Jackson or logging");

    static JavaClasses production() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.cgledger.core");
    }

    @Test
    @DisplayName("classes in org.cgledger.core.. depend only on java.. and org.cgledger.core..")
    void coreIsJdkOnly() {
        JavaClasses core = production();
        assertThat(core.contain(Decider.class)).as("the production classes were imported").isTrue();
        assertThat(core.contain(State.class)).isTrue();
        assertThat(core.size()).isGreaterThan(50);
        CORE_IS_JDK_ONLY.check(core);
    }

    @Test
    @DisplayName("the rule bites: a class of the core package that uses a framework (this test) breaks it")
    void ruleDetectsAFramework() {
        JavaClasses withTests = new ClassFileImporter().importClasses(ArchitectureTest.class, Decider.class);
        EvaluationResult result = CORE_IS_JDK_ONLY.evaluate(withTests);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("com.tngtech.archunit");
    }
}
