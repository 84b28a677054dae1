//! TLS for the mail servers: the system's roots plus the configured `ca_file`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

/// Why a TLS client could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The `ca_file` could not be used.
    #[error("ca_file {}: {why}", path.display())]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The host cannot be a TLS server name.
    #[error("{host:?} is not a host name or an IP address a certificate can name")]
    ServerName {
        /// The host as configured.
        host: String,
    },
    /// rustls refused the configuration.
    #[error("TLS setup: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A client configuration trusting the system's roots and every certificate of `ca_file`
/// (PEM), with the aws-lc-rs provider.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>, TlsError> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for error in &native.errors {
        // A broken system store is no reason to refuse: the configured CA may be all we need.
        tracing::warn!(%error, "mail TLS: some system root certificates could not be read");
    }
    let (_, ignored) = roots.add_parsable_certificates(native.certs);
    if ignored > 0 {
        tracing::debug!(
            ignored,
            "mail TLS: system root certificates rustls cannot use"
        );
    }
    if let Some(path) = ca_file {
        for cert in ca_certificates(path)? {
            roots.add(cert).map_err(|e| TlsError::CaFile {
                path: path.to_path_buf(),
                why: format!("not a usable CA certificate: {e}"),
            })?;
        }
    }
    // The provider is named so a second one elsewhere in the tree (ring) cannot make the
    // process-wide default ambiguous.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The certificates of a PEM file: at least one, or why not.
fn ca_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let fail = |why: String| TlsError::CaFile {
        path: path.to_path_buf(),
        why,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(format!("not PEM: {e}")))?;
    if certs.is_empty() {
        return Err(fail("holds no PEM certificate (BEGIN CERTIFICATE)".into()));
    }
    Ok(certs)
}

/// The name the server's certificate must carry: a DNS name, or an IP address literal.
pub fn server_name(host: &str) -> Result<ServerName<'static>, TlsError> {
    // An IPv6 literal may come bracketed from a URL.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(bare.to_string()).map_err(|_| TlsError::ServerName {
        host: host.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_ca_file_is_named_with_why() {
        let path = Path::new("/nonexistent/casedesk-ca.pem");
        let error = client_config(Some(path)).err().map(|e| e.to_string());
        let text = error.unwrap_or_default();
        assert!(
            text.starts_with("ca_file /nonexistent/casedesk-ca.pem: cannot be read"),
            "{text}"
        );
    }

    #[test]
    fn a_file_without_certificates_is_refused() {
        let dir = std::env::temp_dir().join(format!("casedesk-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("empty.pem");
        std::fs::write(&path, "just words\n").unwrap();
        let text = client_config(Some(&path))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        std::fs::remove_dir_all(&dir).ok();
        assert!(
            text.ends_with("holds no PEM certificate (BEGIN CERTIFICATE)"),
            "{text}"
        );
    }

    #[test]
    fn without_a_ca_file_the_system_roots_do() {
        assert!(client_config(None).is_ok());
    }

    #[test]
    fn an_ip_literal_is_a_server_name() {
        assert!(matches!(
            server_name("127.0.0.1"),
            Ok(ServerName::IpAddress(_))
        ));
        assert!(matches!(server_name("[::1]"), Ok(ServerName::IpAddress(_))));
        assert!(matches!(
            server_name("mail.example.test"),
            Ok(ServerName::DnsName(_))
        ));
        assert!(server_name("not a host").is_err());
    }
}
