using GatewayServer.Http;

namespace GatewayServer.Tests.Http;

public sealed class HttpSyntaxTests
{
    [Fact]
    public void IndexOfNonToken_finds_what_the_token_search_finds_at_every_length_and_position()
    {
        byte[] nonTokens = [(byte)':', (byte)' ', (byte)'\r', (byte)'(', 0x80, 0xFF];
        for (int length = 0; length <= 80; length++)
        {
            byte[] text = [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];
            HttpSyntax.IndexOfNonToken(text).Should().Be(-1);
            for (int at = 0; at < length; at++)
            {
                foreach (byte nonToken in nonTokens)
                {
                    byte[] broken = [.. text];
                    broken[at] = nonToken;
                    HttpSyntax.IndexOfNonToken(broken).Should().Be(at).And.Be(broken.AsSpan().IndexOfAnyExcept(HttpSyntax.TokenChars));
                }
            }
        }
    }

    [Fact]
    public void Searched_sets_are_the_exact_complements_of_what_a_value_and_a_target_may_hold()
    {
        for (int b = 0; b <= 0xFF; b++)
        {
            HttpSyntax.NonFieldValueChars.Contains((byte)b).Should().Be(!HttpSyntax.FieldValueChars.Contains((byte)b));
            bool mayBeInTarget = b > 0x20 && b != 0x7F && b != '#';
            HttpSyntax.NonTargetChars.Contains((byte)b).Should().Be(!mayBeInTarget, "byte 0x{0:X2}", b);
        }

        HttpSyntax.FieldValueChars.Contains((byte)'\t').Should().BeTrue();
        HttpSyntax.FieldValueChars.Contains(0x80).Should().BeTrue();
        HttpSyntax.FieldValueChars.Contains(0x7F).Should().BeFalse();
        HttpSyntax.FieldValueChars.Contains((byte)'\r').Should().BeFalse();
    }
}
