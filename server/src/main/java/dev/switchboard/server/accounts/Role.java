package dev.switchboard.server.accounts;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A named set of permission ids with SwarmUI's role limits.
 *
 * @param name lower-case name, e.g. {@code user}
 * @param description what the role is for
 * @param permissions the permission ids it grants ({@code *} grants all)
 * @param maxOutpathDepth how many folders deep a user may save outputs
 * @param maxT2iSimultaneous how many generations a user of the role may run at once
 * @param allowUnsafeOutpaths whether output paths may contain characters that are unsafe on some systems
 * @param modelWhitelist model names (or name prefixes ending in {@code /} or {@code *}) a user may use; empty allows all
 * @param modelBlacklist model names (or prefixes) a user may not use
 */
public record Role(String name, String description, Set<String> permissions, int maxOutpathDepth,
                   int maxT2iSimultaneous, boolean allowUnsafeOutpaths, List<String> modelWhitelist,
                   List<String> modelBlacklist) {

    public Role {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        permissions = Set.copyOf(new TreeSet<>(requireNonNull(permissions, "permissions is null")));
        modelWhitelist = List.copyOf(requireNonNull(modelWhitelist, "modelWhitelist is null"));
        modelBlacklist = List.copyOf(requireNonNull(modelBlacklist, "modelBlacklist is null"));
        if (maxOutpathDepth < 0 || maxT2iSimultaneous < 0) {
            throw new IllegalArgumentException("role limits must not be negative");
        }
    }

    /** @return the same role with other permissions */
    public Role withPermissions(Set<String> newPermissions) {
        return new Role(name, description, newPermissions, maxOutpathDepth, maxT2iSimultaneous,
                allowUnsafeOutpaths, modelWhitelist, modelBlacklist);
    }
}
