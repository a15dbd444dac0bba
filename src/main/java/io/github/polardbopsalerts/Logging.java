package io.github.polardbopsalerts;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/** logging.format: readable lines (logback.xml) or, for log shippers, one JSON object a line (logback's JsonEncoder). */
final class Logging {

    private Logging() {
    }

    static void configure(String format) {
        if (!"json".equals(format) || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithArguments(false);
                json.setWithMessage(false);
                json.setWithFormattedMessage(true);
                json.setWithNanoseconds(false);
                json.setWithSequenceNumber(false);
                json.setWithContext(false);
                json.start();
                appender.stop();
                appender.setEncoder(json);
                appender.start();
            }
        }
    }
}
