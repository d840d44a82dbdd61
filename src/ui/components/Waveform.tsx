// TEMPORARY: replaced by the real component in this session.
export function Waveform(): React.JSX.Element {
  return <section className="panel"><h2>Waveform</h2></section>;
}
