package org.cgledger.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import org.cgledger.persistence.HierarchyEntity;

/**
 * The command line's logging, set up in code (logback finds it as a service): only the libraries'
 * warnings and errors, on stderr. {@code -Dcgledger.log.level=INFO} shows more; a
 * {@code -Dlogback.configurationFile} of the user's replaces it. Reading an XML file, or even
 * building a {@code PatternLayout} (it registers some seventy converters), cost every one-shot
 * command about 0.1 s.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class QuietLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // logback's own warnings, one line each; with a listener of ours it does not load its
        // status printer (its date formats cost a one-shot command 40-60 ms) to look for them
        context.getStatusManager().add((StatusListener) QuietLogging::problem);
        Line layout = new Line();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.addFilter(new ClockLeap());
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("cgledger.log.level"), Level.WARN));
        root.addAppender(stderr);
        // a journal write that fails stops the stream's entity, and Pekko's supervisor logs that
        // with a stack trace of some 150 lines; the ledger reports it as one line and exits 3
        context.getLogger(HierarchyEntity.class.getName()).setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Drops HikariCP's warning that its housekeeping thread woke late ("Thread starvation or clock
     * leap detected"): a server stopped (SIGSTOP, Ctrl-Z) and continued wakes so, and the raw line
     * reached its stderr; nothing is wrong, nothing to do. Hikari's other warnings and errors pass.
     */
    static final class ClockLeap extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
        @Override
        public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
            return event.getLoggerName().startsWith("com.zaxxer.hikari.")
                    && String.valueOf(event.getMessage()).contains("Thread starvation or clock leap detected")
                    ? ch.qos.logback.core.spi.FilterReply.DENY : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
        }
    }

    private static void problem(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            System.err.println("logback: " + status.getMessage());
        }
    }

    /** {@code WARN o.a.p.e.s.Slf4jLogger: message}, then the exception's stack trace if any. */
    static final class Line extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder b = new StringBuilder(128).append(event.getLevel()).append(' ');
            abbreviate(event.getLoggerName(), b);
            b.append(": ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                b.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return b.toString();
        }

        /** Every package of a logger's name to its first letter: {@code o.a.p.e.s.Slf4jLogger}. */
        static void abbreviate(String name, StringBuilder b) {
            int last = name.lastIndexOf('.');
            for (int i = 0; i < last; i = name.indexOf('.', i) + 1) {
                b.append(name.charAt(i)).append('.');
            }
            b.append(name, last + 1, name.length());
        }
    }
}
