"""nova-compute for the real-OpenStack lab: nova's own service (nova.cmd.compute) on its fake
driver (compute_driver = fake.FakeDriver in the config). Debian's nova-compute package would
pull libvirt, qemu and systemd; the code is all in python3-nova."""
import sys

from nova.cmd.compute import main

if __name__ == '__main__':
    sys.argv[0] = 'nova-compute'
    sys.exit(main())
