package dev.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class DotNetDoubleTextTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "3.0, 3",
        "100, 100",
        "0.5, 0.5",
        "-2.25, -2.25",
        "0.1, 0.1",
        "0.30000000000000004, 0.30000000000000004",
        "1e14, 100000000000000",
        "1e15, 1E+15",
        "1e20, 1E+20",
        "123456789012345680000, 1.2345678901234568E+20",
        "12345678901234567, 12345678901234568",
        "0.0001, 0.0001",
        "0.00001, 1E-05",
        "0.000123, 0.000123",
        "0.0000123, 1.23E-05",
        "-0.0, -0",
        "0.0, 0",
        "1.5e300, 1.5E+300",
        "4.9e-324, 5E-324",
        "1.7976931348623157e308, 1.7976931348623157E+308",
        // Java 17's Double.toString prints 2.82879384806159008E17 here; .NET prints the shortest digits.
        "2.82879384806159e17, 2.82879384806159E+17",
        "2e23, 2E+23",
        "Infinity, Infinity",
        "-Infinity, -Infinity",
        "NaN, NaN",
    })
    void writesTheShortestRoundTripTextInDotNetLayout(double value, String expected) {
        assertThat(DotNetDoubleText.general(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "3.0, 3.0",
        "100, 100.0",
        "-0.0, -0.0",
        "0.5, 0.5",
        "1e20, 1E+20",
        "Infinity, '\"Infinity\"'",
    })
    void writesJsonNumbersTheWayNewtonsoftDoes(double value, String expected) {
        assertThat(DotNetDoubleText.json(value)).isEqualTo(expected);
    }
}
