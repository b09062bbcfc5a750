import { ExemplarReservoir } from './reservoir.js';

/**
 * The process's exemplar reservoir: every instrumentation's meter offers to it, and opmeter's
 * Prometheus endpoint reads it when it renders OpenMetrics.
 */
export const EXEMPLARS = new ExemplarReservoir();
