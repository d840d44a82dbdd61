// TEMPORARY: replaced by the real component in this session.
export function TraceList(): React.JSX.Element {
  return <section className="panel"><h2>TraceList</h2></section>;
}
