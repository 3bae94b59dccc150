/*-------------------------------------------------------------------------
 *
 * planstep.h
 *	  Plan-step bookkeeping and statement-counting hooks (planstep.c).
 *
 * src/apply/planstep.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SM_PLANSTEP_H
#define SM_PLANSTEP_H

extern void sm_planstep_install_hooks(void);
extern void sm_planstep_xact_end(void);
extern bool sm_planstep_session_active(void);

#endif							/* SM_PLANSTEP_H */
