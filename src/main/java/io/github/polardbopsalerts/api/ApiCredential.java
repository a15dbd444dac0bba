package io.github.polardbopsalerts.api;

/** One AccessKey pair, with the STS security token when the credential is temporary. */
public record ApiCredential(String accessKeyId, String accessKeySecret, String securityToken) {

    public ApiCredential {
        if (accessKeyId == null || accessKeyId.isBlank() || accessKeySecret == null || accessKeySecret.isBlank()) {
            throw new IllegalArgumentException("an AccessKey needs both an id and a secret");
        }
        if (securityToken != null && securityToken.isBlank()) {
            securityToken = null;
        }
    }

    public boolean temporary() {
        return securityToken != null;
    }

    /** Never prints the secret or the token. */
    @Override
    public String toString() {
        return "ApiCredential[" + accessKeyId + (temporary() ? ", sts" : "") + "]";
    }
}
