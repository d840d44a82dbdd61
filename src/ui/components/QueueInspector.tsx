// TEMPORARY: replaced by the real component in this session.
export function QueueInspector(): React.JSX.Element {
  return <section className="panel"><h2>QueueInspector</h2></section>;
}
