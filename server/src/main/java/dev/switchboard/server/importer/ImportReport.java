package dev.switchboard.server.importer;

import com.google.gson.JsonPrimitive;
import dev.switchboard.server.settings.SettingsJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints what an import does (or would do, in a dry run): one block per backend, then the types kept verbatim.
 * Settings of installed types are shown as clients see them, secrets masked; settings of other types are named
 * only, since any of them may be a secret.
 */
final class ImportReport {
    private ImportReport() {
    }

    static void print(ImportPlan plan, Path backendsJson, boolean dryRun, PrintStream out) {
        SwarmBackendsFile file = plan.file();
        if (file.readSaveCopy()) {
            out.println(file.requested() + " does not exist; reading " + file.source()
                    + ", the copy SwarmUI keeps while it saves.");
        }
        out.println((dryRun ? "Dry run: would import " : "Importing ") + count(file.backends().size()) + " from "
                + file.source() + " into " + backendsJson + ":");
        for (ConvertedBackend backend : plan.backends()) {
            printBackend(backend, plan.replaced().contains(backend.entry().id()), out);
        }
        List<ConvertedBackend> unknown = plan.backends().stream().filter(ConvertedBackend::unknownType).toList();
        if (!unknown.isEmpty()) {
            out.println("Kept verbatim, as no installed plugin provides their type (listed by ListPlugins, loaded once a"
                    + " plugin provides it): " + unknown.stream()
                    .map(backend -> backend.source().type() + " (backend " + backend.source().id() + ")")
                    .collect(Collectors.joining(", ")));
        }
    }

    private static void printBackend(ConvertedBackend backend, boolean replaces, PrintStream out) {
        SwarmBackend source = backend.source();
        out.println("  " + source.id() + "  " + source.type() + "  " + new JsonPrimitive(source.title()) + "  "
                + (source.enabled() ? "enabled" : "disabled") + "  " + (replaces ? "replaces the backend with this id"
                : "new"));
        if (backend.settings().isPresent()) {
            out.println("      settings: " + SettingsJson.toView(backend.settings().get()));
            if (!backend.defaulted().isEmpty()) {
                out.println("      not in the file, so the defaults: " + String.join(", ", backend.defaulted()));
            }
            if (!backend.undeclared().isEmpty()) {
                out.println("      not settings of this type (kept in the entry, unused): "
                        + String.join(", ", backend.undeclared()));
            }
        } else {
            out.println("      type not installed; settings kept as written (values not shown): "
                    + (source.settings().isEmpty() ? "none" : String.join(", ", source.settings().keySet())));
        }
    }

    static String count(int backends) {
        return backends + (backends == 1 ? " backend" : " backends");
    }
}
