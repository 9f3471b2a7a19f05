import type { LabConfig } from '../config.js';

/** The API ports of the real-OpenStack lab, on ctl1's address (the upstream defaults). */
export const API_PORTS = {
  keystone: 5000,
  'glance-api': 9292,
  'nova-api': 8774,
  'placement-api': 8778,
  'cinder-api': 8776,
  'neutron-stub': 9696,
} as const;

export const AMQP_PORT = 5672;

/**
 * RabbitMQ's Erlang ports. Every lab shares the machine's network namespace, and epmd and the
 * distribution port listen on every address: each lab takes its own, derived from its address
 * octet (1..254), below the ephemeral range (32768+), so parallel labs do not collide.
 */
export function erlangPorts(config: Pick<LabConfig, 'net'>): { epmd: number; dist: number; ctlMin: number; ctlMax: number } {
  return { epmd: 20000 + config.net, dist: 21000 + config.net, ctlMin: 22000 + config.net * 10, ctlMax: 22000 + config.net * 10 + 9 };
}

/** The environment RabbitMQ's server and its CLI tools need in a lab. */
export function rabbitEnv(config: Pick<LabConfig, 'net'>, address: string): Record<string, string> {
  const p = erlangPorts(config);
  return {
    RABBITMQ_NODENAME: 'rabbit@ctl1',
    RABBITMQ_NODE_IP_ADDRESS: address,
    RABBITMQ_NODE_PORT: String(AMQP_PORT),
    RABBITMQ_DIST_PORT: String(p.dist),
    RABBITMQ_CTL_DIST_PORT_MIN: String(p.ctlMin),
    RABBITMQ_CTL_DIST_PORT_MAX: String(p.ctlMax),
    ERL_EPMD_PORT: String(p.epmd),
  };
}
