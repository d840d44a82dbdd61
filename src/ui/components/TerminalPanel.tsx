// TEMPORARY: replaced by the real component in this session.
export default function TerminalPanel(): React.JSX.Element {
  return <div>terminal</div>;
}
