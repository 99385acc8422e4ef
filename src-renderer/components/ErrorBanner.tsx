import { ApiCallError } from '../api/client.ts';

/** Shows what went wrong, with the fields at fault when the services named them. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiCallError ? error.issues : [];
  return (
    <div className="banner banner-error" role="alert">
      <strong>{message}</strong>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={i}>
              <code>{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
