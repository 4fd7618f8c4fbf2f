using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GatewayServer.IntegrationTests.Infrastructure;

/// <summary>
/// Certificates made for one test with .NET's <see cref="CertificateRequest"/> and written as PEM
/// files: a self-signed test CA, a server certificate it issued for <c>localhost</c> and
/// <c>127.0.0.1</c>, and a client certificate it issued. Nothing touches a system trust store.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.pem");

    public string ServerCertificate => Path.Combine(Directory, "server.pem");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string ClientCertificate => Path.Combine(Directory, "client.pem");

    public string ClientKey => Path.Combine(Directory, "client.key");

    public const string ClientSubject = "CN=gwserve test client";

    /// <summary>Writes the files into <paramref name="directory"/>; the server key is ECDSA P-256, or RSA 2048 with <paramref name="rsa"/>.</summary>
    public static TestCertificates Create(string directory, bool rsa = false)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=gwserve test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        var certificates = new TestCertificates(directory);
        File.WriteAllText(certificates.CaCertificate, ca.ExportCertificatePem());

        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        using AsymmetricAlgorithm serverKey = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest serverRequest = rsa
            ? new CertificateRequest("CN=localhost", (RSA)serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=localhost", (ECDsa)serverKey, HashAlgorithmName.SHA256);
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Issue(serverRequest, ca, caKey, certificates.ServerCertificate, now, 1);
        File.WriteAllText(certificates.ServerKey, serverKey.ExportPkcs8PrivateKeyPem());

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest(ClientSubject, clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        Issue(clientRequest, ca, caKey, certificates.ClientCertificate, now, 2);
        File.WriteAllText(certificates.ClientKey, clientKey.ExportPkcs8PrivateKeyPem());
        return certificates;
    }

    /// <summary>The client certificate with its key, for <see cref="System.Net.Http.HttpClientHandler"/>.</summary>
    public X509Certificate2 LoadClientCertificate() => X509Certificate2.CreateFromPemFile(ClientCertificate, ClientKey);

    private static void Issue(CertificateRequest request, X509Certificate2 ca, ECDsa caKey, string path, DateTimeOffset now, byte serial)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        // Signed with the CA's ECDSA key whatever the subject's key is (an RSA server key included).
        using X509Certificate2 issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddDays(1), [serial]);
        File.WriteAllText(path, issued.ExportCertificatePem());
    }
}
