package dev.switchboard.server.plugins;

import static java.util.Objects.requireNonNull;

/**
 * Writes the Java source of a {@code BackendType} extension for test plugins. Every method body can be replaced,
 * so a test states only the misbehaviour it is about.
 */
final class BackendTypeSource {
    private final String className;
    private String idBody;
    private String displayNameBody = "return \"Test type\";";
    private String descriptionBody = "return \"A backend type for tests.\";";
    private String constructorBody = "";
    private String settingsSchemaBody = "return SettingsSchema.of(SettingDefinition.builder(\"Address\","
            + " SettingType.TEXT).build());";
    private String members = "";
    private boolean extension = true;

    /**
     * Starts a well-behaved type.
     *
     * @param className the fully qualified class name, e.g. {@code com.example.GoodType}
     * @param typeId what {@code id()} returns
     */
    BackendTypeSource(String className, String typeId) {
        this.className = requireNonNull(className, "className is null");
        this.idBody = "return \"" + typeId + "\";";
    }

    String className() {
        return className;
    }

    BackendTypeSource constructor(String body) {
        constructorBody = body;
        return this;
    }

    BackendTypeSource id(String body) {
        idBody = body;
        return this;
    }

    BackendTypeSource displayName(String body) {
        displayNameBody = body;
        return this;
    }

    BackendTypeSource description(String body) {
        descriptionBody = body;
        return this;
    }

    BackendTypeSource settingsSchema(String body) {
        settingsSchemaBody = body;
        return this;
    }

    /** Adds fields or methods to the class body. */
    BackendTypeSource members(String code) {
        members = code;
        return this;
    }

    /** Leaves out {@code @Extension}, so the class is not in the extension index. */
    BackendTypeSource notAnExtension() {
        extension = false;
        return this;
    }

    String code() {
        int lastDot = className.lastIndexOf('.');
        String packageName = className.substring(0, lastDot);
        String simpleName = className.substring(lastDot + 1);
        return "package " + packageName + ";\n"
                + "import dev.switchboard.api.*;\n"
                + "import dev.switchboard.api.settings.*;\n"
                + (extension ? "@org.pf4j.Extension\n" : "")
                + "public class " + simpleName + " implements BackendType {\n"
                + "    public " + simpleName + "() { " + constructorBody + " }\n"
                + "    @Override public String id() { " + idBody + " }\n"
                + "    @Override public String displayName() { " + displayNameBody + " }\n"
                + "    @Override public String description() { " + descriptionBody + " }\n"
                + "    @Override public SettingsSchema settingsSchema() { " + settingsSchemaBody + " }\n"
                + "    @Override public Backend create(BackendContext context) {"
                + " throw new UnsupportedOperationException(); }\n"
                + members + "\n"
                + "}\n";
    }
}
