package dev.switchboard.server.accounts;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes passwords with Argon2id (Bouncy Castle) into PHC strings, {@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash},
 * and checks a password against such a string in constant time. A stored hash keeps its own parameters, so
 * raising the cost later still verifies old hashes. Thread-safe.
 */
public final class PasswordHasher {
    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static final Cost DEFAULT_COST = new Cost(19_456, 2, 1);

    private static final String PREFIX = "$argon2id$v=19$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final Cost cost;
    private final SecureRandom random = new SecureRandom();

    /** Hashes at {@link #DEFAULT_COST}. */
    public PasswordHasher() {
        this(DEFAULT_COST);
    }

    /** Hashes at the given cost (tests use a small one). */
    public PasswordHasher(Cost cost) {
        this.cost = cost;
    }

    /** @return the PHC string of a new salted hash of {@code password} */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, cost, HASH_BYTES);
        return PREFIX + "m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism() + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** @return whether {@code password} is the one {@code phc} was made from; false for a malformed string */
    public boolean matches(String password, String phc) {
        Optional<Parsed> parsed = parse(phc);
        if (parsed.isEmpty()) {
            return false;
        }
        Parsed stored = parsed.get();
        byte[] candidate = derive(password, stored.salt(), stored.cost(), stored.hash().length);
        return MessageDigest.isEqual(candidate, stored.hash());
    }

    /** @return whether a string has the form {@link #hash} writes, with sane parameters */
    public static boolean isWellFormed(String phc) {
        return parse(phc).isPresent();
    }

    private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        byte[] passwordBytes = password.getBytes(UTF_8);
        try {
            generator.generateBytes(passwordBytes, out);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        return out;
    }

    private static Optional<Parsed> parse(String phc) {
        if (phc == null || !phc.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = phc.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            int memory = -1;
            int iterations = -1;
            int parallelism = -1;
            for (String field : parts[0].split(",", -1)) {
                String[] pair = field.split("=", 2);
                int value = pair.length == 2 ? Integer.parseInt(pair[1]) : -1;
                switch (pair[0]) {
                    case "m" -> memory = value;
                    case "t" -> iterations = value;
                    case "p" -> parallelism = value;
                    default -> {
                        return Optional.empty();
                    }
                }
            }
            // Bounds keep a tampered file from making a login allocate gigabytes or spin for minutes.
            if (memory < 8 || memory > 1 << 21 || iterations < 1 || iterations > 64 || parallelism < 1
                    || parallelism > 16) {
                return Optional.empty();
            }
            byte[] salt = B64_DECODER.decode(parts[1]);
            byte[] hash = B64_DECODER.decode(parts[2]);
            if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(new Cost(memory, iterations, parallelism), salt, hash));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Argon2id's cost parameters.
     *
     * @param memoryKiB memory per hash in KiB
     * @param iterations passes over the memory
     * @param parallelism lanes
     */
    public record Cost(int memoryKiB, int iterations, int parallelism) {
    }

    private record Parsed(Cost cost, byte[] salt, byte[] hash) {
    }
}
