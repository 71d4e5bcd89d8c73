// The setup snippet shown next to a DSN, per platform.
export const PLATFORMS: Record<string, { label: string; snippet: (dsn: string) => string }> = {
  python: {
    label: "Python",
    snippet: (dsn) => `pip install sentry-sdk\n\nimport sentry_sdk\nsentry_sdk.init(dsn="${dsn}")`,
  },
  javascript: {
    label: "Browser JavaScript",
    snippet: (dsn) => `npm install @sentry/browser\n\nimport * as Sentry from "@sentry/browser";\nSentry.init({ dsn: "${dsn}" });`,
  },
  node: {
    label: "Node.js",
    snippet: (dsn) => `npm install @sentry/node\n\nconst Sentry = require("@sentry/node");\nSentry.init({ dsn: "${dsn}" });`,
  },
  go: {
    label: "Go",
    snippet: (dsn) => `go get github.com/getsentry/sentry-go\n\nsentry.Init(sentry.ClientOptions{Dsn: "${dsn}"})`,
  },
  java: {
    label: "Java",
    snippet: (dsn) => `// io.sentry:sentry\nSentry.init(options -> options.setDsn("${dsn}"));`,
  },
  ruby: {
    label: "Ruby",
    snippet: (dsn) => `gem "sentry-ruby"\n\nSentry.init { |config| config.dsn = "${dsn}" }`,
  },
  php: {
    label: "PHP",
    snippet: (dsn) => `composer require sentry/sentry\n\n\\Sentry\\init(['dsn' => '${dsn}']);`,
  },
  other: {
    label: "Other",
    snippet: (dsn) => `SENTRY_DSN=${dsn}`,
  },
};

export function snippetFor(platform: string | null | undefined, dsn: string): string {
  const key = Object.keys(PLATFORMS).find((p) => platform?.startsWith(p)) ?? "other";
  return PLATFORMS[key].snippet(dsn);
}
