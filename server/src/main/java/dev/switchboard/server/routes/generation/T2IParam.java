package dev.switchboard.server.routes.generation;

import java.util.List;

/**
 * One text-to-image parameter as SwarmUI lists and validates it (generation.md 2.6-2.7).
 *
 * @param id the cleaned id, e.g. {@code cfgscale}
 * @param name the display name used in error messages, e.g. {@code CFG Scale}
 * @param type SwarmUI's type name: {@code text}, {@code integer}, {@code decimal}, {@code boolean},
 *     {@code dropdown}, {@code model}, {@code list}
 * @param defaultValue the default as text
 * @param min the smallest number, or null
 * @param max the largest number, or null
 * @param values a dropdown's values, or empty
 * @param subtype a model parameter's sub-type, or null
 * @param featureFlag the backend feature the parameter needs, or null
 * @param group the group it is shown in
 * @param toggleable whether it is absent unless enabled
 * @param description what it does
 */
record T2IParam(String id, String name, String type, String defaultValue, Double min, Double max,
                List<String> values, String subtype, String featureFlag, String group, boolean toggleable,
                String description) {

    static T2IParam text(String id, String name, String defaultValue, String group, String description) {
        return new T2IParam(id, name, "text", defaultValue, null, null, List.of(), null, null, group, false,
                description);
    }

    static T2IParam integer(String id, String name, long defaultValue, double min, double max, String group,
                            String description) {
        return new T2IParam(id, name, "integer", Long.toString(defaultValue), min, max, List.of(), null, null, group,
                false, description);
    }

    static T2IParam decimal(String id, String name, double defaultValue, double min, double max, String group,
                            String description) {
        return new T2IParam(id, name, "decimal", trim(defaultValue), min, max, List.of(), null, null, group, false,
                description);
    }

    static T2IParam bool(String id, String name, String group, String description) {
        return new T2IParam(id, name, "boolean", "false", null, null, List.of(), null, null, group, true,
                description);
    }

    static T2IParam dropdown(String id, String name, String defaultValue, List<String> values, String group,
                             String description) {
        return new T2IParam(id, name, "dropdown", defaultValue, null, null, List.copyOf(values), null, null, group,
                false, description);
    }

    static T2IParam model(String id, String name, String subtype, String defaultValue, String group,
                          String description) {
        return new T2IParam(id, name, "model", defaultValue, null, null, List.of(), subtype, null, group, false,
                description);
    }

    static T2IParam list(String id, String name, String group, String description) {
        return new T2IParam(id, name, "list", "", null, null, List.of(), null, null, group, true, description);
    }

    T2IParam needing(String flag) {
        return new T2IParam(id, name, type, defaultValue, min, max, values, subtype, flag, group, toggleable,
                description);
    }

    T2IParam toggled() {
        return new T2IParam(id, name, type, defaultValue, min, max, values, subtype, featureFlag, group, true,
                description);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
