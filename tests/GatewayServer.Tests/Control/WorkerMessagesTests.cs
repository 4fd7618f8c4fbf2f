using GatewayServer.Control;

namespace GatewayServer.Tests.Control;

public sealed class WorkerMessagesTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1234", 1234)]
    [InlineData("999999999999999999", 999_999_999_999_999_999)]
    public void Numbers_are_plain_decimal_digits(string text, long expected)
    {
        WorkerMessages.TryParseNumber(text, out long value).Should().BeTrue();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("١٢")]
    [InlineData("9999999999999999999")]
    public void Anything_else_is_not_a_number(string text) =>
        WorkerMessages.TryParseNumber(text, out _).Should().BeFalse();

    [Theory]
    [InlineData("max-requests", true)]
    [InlineData("request-timeout", true)]
    [InlineData("", false)]
    [InlineData("Max", false)]
    [InlineData("a b", false)]
    [InlineData("reason\u001b[31m", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void Reasons_are_short_lowercase_words(string text, bool valid) =>
        WorkerMessages.IsReason(text).Should().Be(valid);
}
