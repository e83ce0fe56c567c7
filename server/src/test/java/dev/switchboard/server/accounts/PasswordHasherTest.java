package dev.switchboard.server.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private static final PasswordHasher CHEAP = new PasswordHasher(new PasswordHasher.Cost(64, 1, 1));

    @Test
    void aHashVerifiesItsPasswordOnlyAndNeverContainsIt() {
        String hash = CHEAP.hash("correct horse battery");

        assertThat(hash).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain("correct horse battery");
        assertThat(CHEAP.matches("correct horse battery", hash)).isTrue();
        assertThat(CHEAP.matches("correct horse batterz", hash)).isFalse();
        assertThat(CHEAP.matches("", hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(CHEAP.hash("same password")).isNotEqualTo(CHEAP.hash("same password"));
    }

    @Test
    void aStoredHashKeepsItsOwnCostSoRaisingTheDefaultStillVerifiesOldHashes() {
        String old = CHEAP.hash("an old password");

        assertThat(new PasswordHasher().matches("an old password", old)).isTrue();
        assertThat(new PasswordHasher().hash("x")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void knownAnswerOfArgon2id() {
        // Made by the reference implementation's command line (Debian's argon2 package):
        // echo -n password | argon2 somesalt -id -t 2 -m 6 -p 1 -l 32 -e
        String phc = "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$"
                + "FqGkmHNGCd0BRW2kBt6fPZ2pPmyGwwChL8FGUhTOSSI";

        assertThat(CHEAP.matches("password", phc)).isTrue();
        assertThat(CHEAP.matches("passwore", phc)).isFalse();
    }

    @Test
    void malformedOrHostileStringsNeverMatchAndAreNotWellFormed() {
        String good = CHEAP.hash("a password here");
        String[] bad = {null, "", "plain", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAA",
            good.replace("m=64", "m=99999999"), good.replace("t=1", "t=1000"), good.replace("p=1", "p=0"),
            good.replace("m=64,", ""), good + "$extra", "$argon2id$v=19$m=64,t=1,p=1$!!!$AAAA"};
        for (String phc : bad) {
            assertThat(PasswordHasher.isWellFormed(phc)).as("%s", phc).isFalse();
            assertThat(CHEAP.matches("a password here", phc)).as("%s", phc).isFalse();
        }
        assertThat(PasswordHasher.isWellFormed(good)).isTrue();
    }
}
