package org.cgledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QuietLoggingTest {

    @Test
    @DisplayName("the libraries' warnings and errors only, one line each: level, abbreviated logger, message")
    void quiet() {
        LoggerContext context = new LoggerContext();
        QuietLogging q = new QuietLogging();
        q.setContext(context);
        assertThat(q.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isNotNull();
        Logger pekko = context.getLogger("org.apache.pekko.event.slf4j.Slf4jLogger");
        LoggingEvent e = new LoggingEvent(Logger.FQCN, pekko, Level.WARN, "journal {} slow", null, new Object[] {"x"});
        assertThat(new QuietLogging.Line().doLayout(e)).isEqualTo("WARN o.a.p.e.s.Slf4jLogger: journal x slow"
                + System.lineSeparator());
        StringBuilder b = new StringBuilder();
        QuietLogging.Line.abbreviate("Main", b);
        assertThat(b).hasToString("Main");
    }

    @Test
    @DisplayName("HikariCP's 'Thread starvation or clock leap detected' (a server stopped with SIGSTOP and continued) "
            + "is dropped; its other warnings and errors pass")
    void clockLeap() {
        LoggerContext context = new LoggerContext();
        QuietLogging q = new QuietLogging();
        q.setContext(context);
        q.configure(context);
        ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent> stderr =
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        Logger hikari = context.getLogger("com.zaxxer.hikari.pool.HikariPool");
        LoggingEvent leap = new LoggingEvent(Logger.FQCN, hikari, Level.WARN,
                "{} - Thread starvation or clock leap detected (housekeeper delta={}).", null,
                new Object[] {"slick.db", "1m2s"});
        assertThat(stderr.getFilterChainDecision(leap)).isEqualTo(ch.qos.logback.core.spi.FilterReply.DENY);
        LoggingEvent other = new LoggingEvent(Logger.FQCN, hikari, Level.ERROR, "{} - Exception during pool "
                + "initialization.", null, new Object[] {"slick.db"});
        assertThat(stderr.getFilterChainDecision(other)).isEqualTo(ch.qos.logback.core.spi.FilterReply.NEUTRAL);
        LoggingEvent elsewhere = new LoggingEvent(Logger.FQCN, context.getLogger("org.apache.pekko.Foo"), Level.WARN,
                "Thread starvation or clock leap detected", null, null);
        assertThat(stderr.getFilterChainDecision(elsewhere)).isEqualTo(ch.qos.logback.core.spi.FilterReply.NEUTRAL);
    }

    @Test
    @DisplayName("a -Dlogback.configurationFile of the user's takes over")
    void userFile() {
        String before = System.getProperty("logback.configurationFile");
        System.setProperty("logback.configurationFile", "mine.xml");
        try {
            LoggerContext context = new LoggerContext();
            QuietLogging q = new QuietLogging();
            q.setContext(context);
            assertThat(q.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
        } finally {
            if (before == null) {
                System.clearProperty("logback.configurationFile");
            } else {
                System.setProperty("logback.configurationFile", before);
            }
        }
    }
}
