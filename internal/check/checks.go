package check

import "github.com/imagelab/imagelab/internal/i18n"

// All returns the checks of the lab's checklist, then the production
// warnings, in report order.
func All() []Check {
	return []Check{
		{ID: "size", Title: i18n.T("Image size"), Required: true, Run: checkSize},
		{ID: "non-root", Title: i18n.T("Runs as a non-root user"), Required: true, Run: checkNonRoot},
		{ID: "healthcheck", Title: i18n.T("HEALTHCHECK probes the health endpoint"), Required: true, Run: checkHealth},
		{ID: "sigterm", Title: i18n.T("Stops cleanly on SIGTERM"), Required: true, Dynamic: true, Run: checkSigterm},
		{ID: "read-only", Title: i18n.T("Runs with a read-only root filesystem"), Required: true, Dynamic: true, Run: checkReadOnly},
		{ID: "env-config", Title: i18n.T("Takes its configuration from the environment"), Required: true, Dynamic: true, Run: checkEnvConfig},
		{ID: "labels", Title: i18n.T("Carries the lab labels"), Required: true, Run: checkLabels},
		{ID: "multi-stage", Title: i18n.T("Built by a multi-stage Dockerfile"), Required: true, Run: checkMultiStage},
		{ID: "tools", Title: i18n.T("No download tools or shell in the final image"), Run: checkTools},
		{ID: "history-args", Title: i18n.T("No build-arg values in the image history"), Run: checkHistoryArgs},
		{ID: "secret-env", Title: i18n.T("No secrets in ENV"), Run: checkSecretEnv},
		{ID: "dev-server", Title: i18n.T("No development server"), Dynamic: true, After: true, Run: checkDevServer},
		{ID: "listen-address", Title: i18n.T("Listens on all interfaces"), Dynamic: true, After: true, Run: checkListenAddress},
	}
}
