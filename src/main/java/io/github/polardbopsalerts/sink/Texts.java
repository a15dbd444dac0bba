package io.github.polardbopsalerts.sink;

import java.text.MessageFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The words of alerts in alert.language, from i18n/messages*.properties: English, or Chinese for the teams
 * whose chat rooms are DingTalk, Feishu and WeCom. Never falls back to the JVM's own locale.
 */
public final class Texts {

    public static final Texts ENGLISH = of("en");

    private final String language;
    private final ResourceBundle bundle;

    private Texts(String language, ResourceBundle bundle) {
        this.language = language;
        this.bundle = bundle;
    }

    /** "en" or "zh"; Settings refuses anything else. */
    public static Texts of(String language) {
        Locale locale = "zh".equals(language) ? Locale.CHINESE : Locale.ROOT;
        return new Texts(language, ResourceBundle.getBundle("i18n.messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
    }

    public String language() {
        return language;
    }

    public boolean chinese() {
        return "zh".equals(language);
    }

    /** The text for key, its arguments filled in. */
    public String get(String key, Object... args) {
        String pattern = bundle.getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }

    /** Every label.* text by the rest of its key, for templates: {{labels.cluster}}. */
    public Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : bundle.keySet()) {
            if (key.startsWith("label.")) {
                out.put(key.substring("label.".length()), bundle.getString(key));
            }
        }
        return out;
    }
}
