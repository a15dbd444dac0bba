package io.github.polardbopsalerts.sink.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.polardbopsalerts.sink.AlertView;
import io.github.polardbopsalerts.sink.Texts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The chat messages: for one alert, a card or markdown message with what the on-call needs; for several, a
 * digest with one line per alert. Text from the API is stripped of line breaks and of the characters that
 * would turn it into markup (a link, a mention, a tag).
 */
final class ChatMessages {

    private final ObjectMapper mapper;

    ChatMessages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The body for the format (without any signature), mentioning the configured people when any alert in it
     * still asks for action (a message of resolved alerts only notifies nobody).
     */
    ObjectNode body(WebhookFormat format, List<AlertView> alerts, int part, int parts, List<String> mention) {
        ObjectNode body = shape(format, alerts, part, parts);
        if (!mention.isEmpty() && alerts.stream().anyMatch(a -> !"resolved".equals(a.kind()))) {
            mention(format, body, mention);
        }
        return body;
    }

    /** Each vendor's way to notify people: DingTalk's "at" with the @mobile in the text, and so on. */
    private void mention(WebhookFormat format, ObjectNode body, List<String> who) {
        List<String> people = who.stream().filter(w -> !"all".equals(w)).toList();
        switch (format) {
            case DINGTALK -> {
                ObjectNode at = body.putObject("at");
                people.forEach(at.putArray("atMobiles")::add);
                at.put("isAtAll", who.contains("all"));
                ObjectNode md = (ObjectNode) body.get("markdown");
                StringBuilder text = new StringBuilder(md.get("text").asText()).append("\n\n");
                people.forEach(m -> text.append('@').append(m).append(' '));
                if (who.contains("all")) {
                    text.append("@all");
                }
                md.put("text", text.toString().strip());
            }
            case FEISHU -> {
                ObjectNode text = (ObjectNode) body.get("card").get("elements").get(0).get("text");
                StringBuilder content = new StringBuilder(text.get("content").asText()).append('\n');
                who.forEach(id -> content.append("<at id=").append(id).append("></at> "));
                text.put("content", content.toString().strip());
            }
            case WECOM -> {
                ObjectNode md = (ObjectNode) body.get("markdown");
                StringBuilder content = new StringBuilder(md.get("content").asText()).append('\n');
                people.forEach(id -> content.append("<@").append(id).append("> "));
                md.put("content", content.toString().strip());
            }
            case SLACK -> {
                String line = String.join(" ", who.stream().map(id -> switch (id) {
                    case "here", "channel" -> "<!" + id + ">";
                    default -> "<@" + id + ">";
                }).toList());
                body.put("text", line + " " + body.get("text").asText());
                ObjectNode section = mapper.createObjectNode().put("type", "section");
                section.putObject("text").put("type", "mrkdwn").put("text", line);
                ((ArrayNode) body.get("blocks")).insert(1, section);
            }
            default -> {
                // Settings refuses a mention for generic and Teams webhooks.
            }
        }
    }

    /** The vendor's message shape; alerts holds one alert or a digest. */
    private ObjectNode shape(WebhookFormat format, List<AlertView> alerts, int part, int parts) {
        return switch (format) {
            case DINGTALK -> dingTalk(alerts, part, parts);
            case FEISHU -> feishu(alerts, part, parts);
            case WECOM -> weCom(alerts, part, parts);
            case SLACK -> slack(alerts, part, parts);
            case TEAMS -> teams(alerts, part, parts);
            case GENERIC -> throw new IllegalArgumentException("generic webhooks carry the alert document");
        };
    }

    /** The size the vendor counts: WeCom's markdown content, otherwise the whole body. */
    int measure(WebhookFormat format, ObjectNode body) {
        if (format == WebhookFormat.WECOM) {
            return body.path("markdown").path("content").asText().getBytes(StandardCharsets.UTF_8).length;
        }
        try {
            return mapper.writeValueAsBytes(body).length;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode dingTalk(List<AlertView> alerts, int part, int parts) {
        ObjectNode body = mapper.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("title", title(alerts)).put("text", markdown(alerts, part, parts, false));
        return body;
    }

    private ObjectNode weCom(List<AlertView> alerts, int part, int parts) {
        ObjectNode body = mapper.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("content", markdown(alerts, part, parts, true));
        return body;
    }

    private ObjectNode feishu(List<AlertView> alerts, int part, int parts) {
        ObjectNode body = mapper.createObjectNode().put("msg_type", "interactive");
        ObjectNode card = body.putObject("card");
        card.putObject("config").put("wide_screen_mode", true);
        ObjectNode header = card.putObject("header");
        header.putObject("title").put("tag", "plain_text").put("content", title(alerts));
        header.put("template", colour(alerts, "red", "orange", "blue", "green"));
        ArrayNode elements = card.putArray("elements");
        elements.addObject().put("tag", "div").putObject("text").put("tag", "lark_md")
                .put("content", markdown(alerts, part, parts, false));
        String url = alerts.size() == 1 ? String.valueOf(alerts.get(0).model().get("consoleUrl")) : "";
        if (!url.isEmpty()) {
            ObjectNode button = elements.addObject().put("tag", "action").putArray("actions").addObject();
            button.put("tag", "button").put("type", "primary").put("url", url)
                    .putObject("text").put("tag", "plain_text").put("content", t(alerts, "label.console-button"));
        }
        return body;
    }

    private ObjectNode slack(List<AlertView> alerts, int part, int parts) {
        ObjectNode body = mapper.createObjectNode();
        body.put("text", alerts.size() == 1 ? alerts.get(0).subject() : title(alerts));
        ArrayNode blocks = body.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", clip(title(alerts), 150));
        if (alerts.size() == 1) {
            Map<String, Object> m = alerts.get(0).model();
            ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
            field(fields, t(alerts, "label.cluster"), m.get("cluster") + alias(m));
            field(fields, t(alerts, "label.task"), String.valueOf(m.get("taskTypeName")));
            field(fields, t(alerts, "label.deadline"), m.get("deadline") + " " + paren(m.get("deadlineRelative")));
            field(fields, t(alerts, "label.switch-time"), m.get("switchTime") + " "
                    + paren(m.get("switchTimeRelative")));
            field(fields, t(alerts, "label.region-zone"), m.get("region") + " / " + m.get("zone"));
            field(fields, t(alerts, "label.cancelable-changeable"), m.get("canCancel") + " / "
                    + m.get("canChangeTime"));
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", slackEscape(alerts.get(0).headline()) + changes(m, "\n", true));
            String url = String.valueOf(m.get("consoleUrl"));
            if (!url.isEmpty()) {
                ObjectNode button = blocks.addObject().put("type", "actions").putArray("elements").addObject();
                button.put("type", "button").put("url", url).putObject("text").put("type", "plain_text")
                        .put("text", t(alerts, "label.console-button"));
            }
        } else {
            StringBuilder section = new StringBuilder();
            for (AlertView a : alerts) {
                String line = "• " + slackEscape(a.subject()) + " · "
                        + a.texts().get("title.task", a.model().get("taskId")) + "\n";
                if (section.length() + line.length() > 2900) {
                    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                            .put("text", section.toString());
                    section.setLength(0);
                }
                section.append(line);
            }
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text",
                    section + (parts > 1 ? "_" + t(alerts, "title.part", part, parts) + "_" : ""));
        }
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "polardb-ops-alerts · " + slackEscape(ids(alerts)));
        return body;
    }

    private ObjectNode teams(List<AlertView> alerts, int part, int parts) {
        ObjectNode body = mapper.createObjectNode().put("type", "message");
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive").putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json").put("type", "AdaptiveCard")
                .put("version", "1.4");
        card.putObject("msteams").put("width", "Full");
        ArrayNode items = card.putArray("body");
        items.addObject().put("type", "TextBlock").put("text", title(alerts)).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true).put("style", "heading")
                .put("color", colour(alerts, "Attention", "Warning", "Accent", "Good"));
        if (alerts.size() == 1) {
            Map<String, Object> m = alerts.get(0).model();
            items.addObject().put("type", "TextBlock").put("text", alerts.get(0).headline()).put("wrap", true);
            ArrayNode facts = items.addObject().put("type", "FactSet").putArray("facts");
            fact(facts, t(alerts, "label.cluster"), m.get("cluster") + alias(m));
            fact(facts, t(alerts, "label.region-zone"), m.get("region") + " / " + m.get("zone"));
            fact(facts, t(alerts, "label.task"), m.get("taskType") + " " + paren(m.get("taskTypeZh")));
            fact(facts, t(alerts, "label.deadline"), m.get("deadline") + " " + paren(m.get("deadlineRelative")));
            fact(facts, t(alerts, "label.switch-time"), m.get("switchTime") + " "
                    + paren(m.get("switchTimeRelative")));
            fact(facts, t(alerts, "label.cancelable"), String.valueOf(m.get("canCancel")));
            fact(facts, t(alerts, "label.time-changeable"), String.valueOf(m.get("canChangeTime")));
            fact(facts, "Alert", String.valueOf(m.get("alertId")));
            String changes = changes(m, "\n\n", false);
            if (!changes.isEmpty()) {
                items.addObject().put("type", "TextBlock").put("text", changes.strip()).put("wrap", true);
            }
            String url = String.valueOf(m.get("consoleUrl"));
            if (!url.isEmpty()) {
                card.putArray("actions").addObject().put("type", "Action.OpenUrl")
                        .put("title", t(alerts, "label.console-button"))
                        .put("url", url);
            }
        } else {
            for (AlertView a : alerts) {
                items.addObject().put("type", "TextBlock").put("text", "- " + a.subject() + " · "
                        + a.texts().get("title.task", a.model().get("taskId"))).put("wrap", true)
                        .put("spacing", "None");
            }
            if (parts > 1) {
                items.addObject().put("type", "TextBlock").put("text", t(alerts, "title.part", part, parts))
                        .put("isSubtle", true);
            }
        }
        return body;
    }

    /** Markdown for DingTalk, Feishu's lark_md and WeCom (whose colours are font tags). */
    private String markdown(List<AlertView> alerts, int part, int parts, boolean weComColours) {
        StringBuilder s = new StringBuilder();
        if (alerts.size() == 1) {
            AlertView a = alerts.get(0);
            Map<String, Object> m = a.model();
            String level = weComColours ? "<font color=\"warning\">" + m.get("level") + "</font>"
                    : "**" + m.get("level") + "**";
            s.append("### ").append(md(a.subject())).append("\n\n");
            s.append(md(a.headline())).append("\n\n");
            Texts x = a.texts();
            String task = x.chinese() ? m.get("taskTypeName") + " " + paren(m.get("taskType"))
                    : m.get("taskType") + " " + paren(m.get("taskTypeZh"));
            s.append("- ").append(x.get("label.level")).append(": ").append(level).append(' ')
                    .append(md(paren(m.get("levelText")))).append('\n');
            s.append("- ").append(x.get("label.cluster")).append(": ").append(md(m.get("cluster") + alias(m)))
                    .append('\n');
            s.append("- ").append(x.get("label.region-zone")).append(": ")
                    .append(md(m.get("region") + " / " + m.get("zone"))).append('\n');
            s.append("- ").append(x.get("label.task")).append(": ").append(md(task)).append('\n');
            s.append("- ").append(x.get("label.deadline")).append(": **").append(md(String.valueOf(m.get("deadline"))))
                    .append("** ").append(md(paren(m.get("deadlineRelative")))).append('\n');
            s.append("- ").append(x.get("label.switch-time")).append(": ")
                    .append(md(m.get("switchTime") + " " + paren(m.get("switchTimeRelative")))).append('\n');
            s.append("- ").append(x.get("label.cancelable-changeable")).append(": ").append(m.get("canCancel"))
                    .append(" / ").append(m.get("canChangeTime")).append('\n');
            s.append(md(changes(m, "\n", false)));
            String url = String.valueOf(m.get("consoleUrl"));
            if (!url.isEmpty()) {
                s.append("\n[").append(x.get("label.console-button")).append("](").append(url).append(")\n");
            }
            s.append("\nalert ").append(md(a.alertId()));
        } else {
            s.append("### ").append(md(title(alerts))).append("\n\n");
            for (AlertView a : alerts) {
                s.append("- ").append(md(a.subject())).append(" · ")
                        .append(md(a.texts().get("title.task", a.model().get("taskId")))).append('\n');
            }
            if (parts > 1) {
                s.append('\n').append(t(alerts, "title.part", part, parts));
            }
        }
        return s.toString();
    }

    private static String title(List<AlertView> alerts) {
        if (alerts.size() == 1) {
            AlertView a = alerts.get(0);
            return a.texts().get("title.single", a.level(), a.tag(), a.cluster());
        }
        return t(alerts, "title.digest", Integer.toString(alerts.size()));
    }

    /** A text in the alerts' language (every view of one message shares it). */
    private static String t(List<AlertView> alerts, String key, Object... args) {
        Object[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray();
        return alerts.get(0).texts().get(key, strings);
    }

    private static String colour(List<AlertView> alerts, String urgent, String reminder, String changed,
            String resolved) {
        String kind = alerts.size() == 1 ? alerts.get(0).kind() : "urgent";
        return switch (kind) {
            case "reminder" -> reminder;
            case "changed" -> changed;
            case "resolved", "test" -> resolved;
            default -> urgent;
        };
    }

    @SuppressWarnings("unchecked")
    private static String changes(Map<String, Object> m, String separator, boolean slack) {
        StringBuilder s = new StringBuilder();
        for (Map<String, String> c : (List<Map<String, String>>) m.get("changes")) {
            String line = c.get("field") + ": " + c.get("from") + " → " + c.get("to");
            s.append(separator).append("- ").append(slack ? slackEscape(line) : line);
        }
        String resolution = String.valueOf(m.get("resolution"));
        if (!resolution.isEmpty()) {
            s.append(separator).append("- Resolution: ").append(resolution);
        }
        return s.toString();
    }

    private static String ids(List<AlertView> alerts) {
        return alerts.size() == 1 ? alerts.get(0).alertId() : alerts.size() + " alerts";
    }

    private static String alias(Map<String, Object> m) {
        String alias = String.valueOf(m.get("alias"));
        return alias.isEmpty() ? "" : " (" + alias + ")";
    }

    private static String paren(Object o) {
        String s = String.valueOf(o);
        return s.isEmpty() ? "" : "(" + s + ")";
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + slackEscape(value.strip()));
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value.strip());
    }

    /**
     * No tags, mentions or links from API text in chat markdown: angle brackets and @ become their look-alikes
     * and "](" is broken up; the rest reads as written.
     */
    static String md(String s) {
        return s.replace('<', '‹').replace('>', '›').replace('@', '＠').replace("](", "] (");
    }

    /** Slack's own escaping of &, < and > (api.slack.com, formatting text). */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
