package io.github.polardbopsalerts.api;

/** Supplies the credential to sign the next request with; implementations refresh temporary ones themselves. */
@FunctionalInterface
public interface CredentialSource {

    ApiCredential current();

    static CredentialSource fixed(ApiCredential credential) {
        return () -> credential;
    }
}
