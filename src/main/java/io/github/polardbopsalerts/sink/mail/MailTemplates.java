package io.github.polardbopsalerts.sink.mail;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import io.github.polardbopsalerts.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The plain-text and HTML bodies, from Mustache templates: built in, or an operator's own from
 * sink.mail.templates-dir, file by file. The HTML template escapes every value; the text one writes them as
 * they are. Templates are compiled at start, so a broken one is a configuration error, not a lost alert.
 */
public final class MailTemplates {

    static final String TEXT = "alert.txt.mustache";
    static final String HTML = "alert.html.mustache";

    private final Mustache text;
    private final Mustache html;

    /**
     * @param language alert.language: the built-in templates of that language (mail/ for English, mail/zh/ for
     *                 Chinese); an operator's own template in dir is used whatever the language
     */
    public MailTemplates(Path dir, String language) {
        String builtIn = "zh".equals(language) ? "/mail/zh/" : "/mail/";
        this.text = compile(new DefaultMustacheFactory() {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, dir, builtIn, TEXT);
        this.html = compile(new DefaultMustacheFactory(), dir, builtIn, HTML);
    }

    public String text(Map<String, Object> model) {
        return render(text, model);
    }

    public String html(Map<String, Object> model) {
        return render(html, model);
    }

    private static String render(Mustache template, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        template.execute(out, model);
        return out.toString();
    }

    private static Mustache compile(DefaultMustacheFactory factory, Path dir, String builtIn, String name) {
        String source;
        String where;
        try {
            Path own = dir == null ? null : dir.resolve(name);
            if (own != null && Files.isRegularFile(own)) {
                source = Files.readString(own, StandardCharsets.UTF_8);
                where = own.toString();
            } else {
                try (var in = MailTemplates.class.getResourceAsStream(builtIn + name)) {
                    if (in == null) {
                        throw new IllegalStateException("built-in template " + builtIn + name + " missing from the jar");
                    }
                    source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                where = "built-in " + name;
            }
        } catch (IOException e) {
            throw new ConfigException("sink.mail.templates-dir: cannot read " + name + ": " + e.getMessage());
        }
        try (Reader r = new StringReader(source)) {
            return factory.compile(r, where);
        } catch (MustacheException | IOException e) {
            throw new ConfigException("sink.mail.templates-dir: " + where + " is not a valid Mustache template: "
                    + e.getMessage());
        }
    }
}
