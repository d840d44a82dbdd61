/**
 * The guest's /init (busybox sh). It brings up the virtio modules and the
 * gpio-virtio driver, waits for the chip, then runs /vgpio/run.sh (which each
 * run appends as a second cpio archive) with its output on the serial console,
 * framed by markers the host parses, and powers the VM off. Markers start with
 * a sequence no tool prints, so command output can never fake one.
 */
export const MARK = '@@vgpio@@';

export const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs tmp /tmp
echo "${MARK} boot $(cut -d' ' -f1 /proc/uptime)"
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci gpio-virtio; do
  insmod /lib/modules/$m.ko 2>/tmp/insmod.err || { echo "${MARK} error insmod $m: $(cat /tmp/insmod.err)"; }
done
n=0
while [ ! -e /dev/gpiochip0 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done
if [ -e /dev/gpiochip0 ]; then
  echo "${MARK} ready $(cut -d' ' -f1 /proc/uptime)"
else
  echo "${MARK} error no /dev/gpiochip0 after 10 s"
  dmesg | tail -20
fi
if [ -f /vgpio/run.sh ]; then
  echo "${MARK} begin"
  sh /vgpio/run.sh </dev/null 2>&1
  echo "${MARK} exit $?"
else
  echo "${MARK} no-commands"
fi
echo "${MARK} end $(cut -d' ' -f1 /proc/uptime)"
sync
reboot -f
`;

/** The per-run script: the user's commands, run by sh in the guest. */
export function runScript(commands: string): string {
  return `cd /tmp\n${commands}\n`;
}
