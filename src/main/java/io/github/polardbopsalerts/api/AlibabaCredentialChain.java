package io.github.polardbopsalerts.api;

import com.aliyun.credentials.Client;
import com.aliyun.credentials.models.CredentialModel;

/**
 * Alibaba Cloud's default credential chain (system properties, environment, OIDC/RRSA, CLI profile,
 * credentials file, ECS RAM role, credentials URI) through credentials-java, which caches temporary
 * credentials and refreshes them before they expire; every request asks it again.
 */
public final class AlibabaCredentialChain implements CredentialSource {

    private final Client client;

    private AlibabaCredentialChain(Client client) {
        this.client = client;
    }

    /** Builds the chain and asks it once, so a missing credential is reported at start, not at the first poll. */
    public static AlibabaCredentialChain resolve() {
        Client client;
        try {
            client = new Client();
        } catch (RuntimeException e) {
            throw new CredentialsUnavailableException(describe(e), e);
        }
        AlibabaCredentialChain chain = new AlibabaCredentialChain(client);
        chain.current();
        return chain;
    }

    @Override
    public ApiCredential current() {
        CredentialModel model;
        try {
            model = client.getCredential();
        } catch (RuntimeException e) {
            throw new CredentialsUnavailableException(describe(e), e);
        }
        if (model == null || model.getAccessKeyId() == null || model.getAccessKeySecret() == null) {
            throw new CredentialsUnavailableException(describe(null), null);
        }
        return new ApiCredential(model.getAccessKeyId(), model.getAccessKeySecret(), model.getSecurityToken());
    }

    private static String describe(Exception cause) {
        String why = cause == null || cause.getMessage() == null ? "" : " (" + firstLine(cause.getMessage()) + ")";
        return "no Alibaba Cloud credentials found: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET"
                + " (and ALIBABA_CLOUD_SECURITY_TOKEN for STS), or provide a credentials file, an ECS RAM role or an"
                + " OIDC role" + why;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** Thrown when the chain finds no usable credential. */
    public static final class CredentialsUnavailableException extends RuntimeException {
        public CredentialsUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
