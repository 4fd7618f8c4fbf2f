using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GatewayServer.Transport;

/// <summary>
/// The TLS side of a worker's listeners: the server certificate (and its chain) read from PEM files
/// once, when the worker starts, and the options every handshake shares. A worker never rereads
/// the files; a reload (SIGHUP) starts new workers, which read them afresh.
/// </summary>
public sealed class TlsServer
{
    private readonly SslServerAuthenticationOptions _options;

    private TlsServer(SslServerAuthenticationOptions options, ClientCertificateMode clientCertificates)
    {
        _options = options;
        ClientCertificates = clientCertificates;
    }

    public ClientCertificateMode ClientCertificates { get; }

    /// <summary>
    /// Reads the certificate from <paramref name="certFile"/> (PEM: the server certificate first,
    /// then any intermediates, which are sent with it) and its private key (RSA or ECDSA) from
    /// <paramref name="keyFile"/>, or from the certificate file when that is empty. With client
    /// certificates asked for, they are checked against the CA certificates of
    /// <paramref name="caCertsFile"/>, or the system's trust store when that is empty.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file cannot be read or holds no usable certificate or key; the message says which.</exception>
    public static TlsServer Load(string certFile, string keyFile, string caCertsFile, ClientCertificateMode clientCertificates)
    {
        X509Certificate2 certificate;
        var intermediates = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile.Length == 0 ? null : keyFile);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certFile);
            for (int i = 1; i < all.Count; i++)
            {
                intermediates.Add(all[i]);
            }
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"cannot load the TLS certificate {certFile} with key {(keyFile.Length == 0 ? certFile : keyFile)}: {error.Message}", error);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"the TLS certificate {certFile} has no private key");
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, intermediates, offline: true),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            ClientCertificateRequired = clientCertificates != ClientCertificateMode.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };

        if (clientCertificates != ClientCertificateMode.None)
        {
            if (caCertsFile.Length > 0)
            {
                var authorities = new X509Certificate2Collection();
                try
                {
                    authorities.ImportFromPemFile(caCertsFile);
                }
                catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException)
                {
                    throw new InvalidOperationException($"cannot load the CA certificates {caCertsFile}: {error.Message}", error);
                }

                if (authorities.Count == 0)
                {
                    throw new InvalidOperationException($"{caCertsFile} holds no PEM certificate");
                }

                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.AddRange(authorities);
                options.CertificateChainPolicy = policy;
            }

            // Static lambdas: one delegate for every handshake. A missing certificate is
            // RemoteCertificateNotAvailable, which "optional" forgives and "required" does not.
            options.RemoteCertificateValidationCallback = clientCertificates == ClientCertificateMode.Optional
                ? static (_, certificate, _, errors) => certificate is null || errors == SslPolicyErrors.None
                : static (_, certificate, _, errors) => certificate is not null && errors == SslPolicyErrors.None;
        }

        return new TlsServer(options, clientCertificates);
    }

    /// <summary>Runs the server handshake over <paramref name="socket"/>; the returned stream does not own the socket.</summary>
    public async ValueTask<SslStream> AuthenticateAsync(Socket socket, CancellationToken cancellation)
    {
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(_options, cancellation).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
