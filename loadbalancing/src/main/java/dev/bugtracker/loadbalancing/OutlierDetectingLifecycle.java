package dev.bugtracker.loadbalancing;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * Tells the {@link OutlierDetector} how each load-balanced call ended. Spring Cloud's
 * clients call it after every call: the gateway's load-balancer filter and the
 * load-balanced Feign client alike.
 */
class OutlierDetectingLifecycle implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private final OutlierDetector detector;

	OutlierDetectingLifecycle(OutlierDetector detector) {
		this.detector = detector;
	}

	@Override
	public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
		return ServiceInstance.class.isAssignableFrom(serverTypeClass);
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
		Response<ServiceInstance> chosen = completion.getLoadBalancerResponse();
		if (chosen == null || !chosen.hasServer()) {
			return;
		}
		if (completion.status() == CompletionContext.Status.FAILED && completion.getThrowable() != null) {
			this.detector.failed(chosen.getServer(), completion.getThrowable());
		}
		else if (completion.status() == CompletionContext.Status.SUCCESS) {
			this.detector.succeeded(chosen.getServer());
		}
	}

}
